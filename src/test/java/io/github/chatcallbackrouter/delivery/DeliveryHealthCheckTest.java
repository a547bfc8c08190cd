package io.github.chatcallbackrouter.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** What /observe/health says of deliveries: UP always, DEGRADED with the destination's name when one is in trouble. */
class DeliveryHealthCheckTest {

    private static HealthCheck.Result check(List<DeliveryEngine.LaneStatus> lanes, String outboxFailure) {
        DeliveryHealthCheck check = new DeliveryHealthCheck(() -> lanes, () -> 0, () -> outboxFailure);
        check.setCamelContext(new DefaultCamelContext());
        return check.call();
    }

    /** A lane with a cap of 1000 (past 800 it is nearly full). */
    private static DeliveryEngine.LaneStatus lane(String destination, int queued, long failingFor, int refused) {
        return new DeliveryEngine.LaneStatus(destination, "http://backend/…", queued, 0, 1000, 65_000, failingFor,
                refused, "HTTP 503", 0);
    }

    @Test
    void destinationsThatAnswerLeaveItUpAndQuiet() {
        HealthCheck.Result result = check(List.of(lane("upstream", 12, -1, 0), lane("slack", 1, -1, 0)), null);

        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(result.getMessage()).contains("13 deliveries waiting");
    }

    @Test
    void aFailingDestinationIsNamedWithHowFarBehindItIs() {
        HealthCheck.Result result = check(List.of(lane("upstream", 200, 62_500, 0), lane("slack", 0, -1, 0)), null);

        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(result.getMessage()).hasValue("DEGRADED: upstream has failed for 1m2s, 200 deliveries wait for it,"
                + " the oldest for 1m5s; last answer: HTTP 503");
    }

    @Test
    void aDestinationThatRefusesEverythingAndAnOutboxNearItsCapAreNamedToo() {
        HealthCheck.Result result = check(List.of(lane("slack:oncall", 0, -1, 5), lane("upstream", 850, -1, 0)),
                "cannot write data/outbox: No space left on device");

        assertThat(result.getMessage().orElseThrow()).startsWith("DEGRADED: ")
                .contains("slack:oncall refused the last 5 deliveries")
                .contains("the outbox for upstream is 85% full (850 of 1000)")
                .contains("the outbox could not be written: cannot write data/outbox: No space left on device");
    }

    @Test
    void deliveriesHeldInMemoryBecauseTheDiskRefusesThemMakeItDown() {
        DeliveryHealthCheck check = new DeliveryHealthCheck(() -> List.of(lane("slack", 3, -1, 0)), () -> 3,
                () -> "cannot write data/outbox: Read-only file system");
        check.setCamelContext(new DefaultCamelContext());

        HealthCheck.Result result = check.call();

        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValue("3 deliveries are held in memory, not in the outbox: its disk refuses"
                + " them (cannot write data/outbox: Read-only file system); they are posted as usual and written once"
                + " it takes writes");
    }
}
