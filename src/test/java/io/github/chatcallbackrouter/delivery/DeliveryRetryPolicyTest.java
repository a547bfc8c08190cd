package io.github.chatcallbackrouter.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.TestClock;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one place retries are decided: backoff with jitter, capped; exactly the wait a 429 asks for; no retry for a
 * refusal; giving up once the next try would come after give-up-after; every attempt in the dead letter.
 */
class DeliveryRetryPolicyTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final DeliveryRetryPolicy policy = new DeliveryRetryPolicy(clock);
    private Exchange exchange;

    @BeforeEach
    void aDeliveryToADestinationOfOneSecondToOneMinuteGivingUpAfterTenMinutes() {
        DefaultCamelContext context = new DefaultCamelContext();
        Destination slack = new Destination();
        slack.setName("slack");
        slack.setInitialDelay("1s");
        slack.setMaxDelay("1m");
        slack.setGiveUpAfter("10m");
        context.getRegistry().bind("slackDestination", slack);
        Deliveries deliveries = new Deliveries();
        deliveries.setCamelContext(context);
        policy.setDeliveries(deliveries);
        exchange = new DefaultExchange(context);
        exchange.setProperty(DeliveryRetryPolicy.DELIVERY, new Delivery("e-1-slack", "slack",
                "https://hooks.slack.com/services/T0/B0/x", null, false, "{}", "application/json", false, "alarm",
                "2026-12-01T10:00:00Z"));
    }

    @Test
    void serverErrorsBackOffExponentiallyWithJitterUpToTheCap() {
        for (int failure = 1; failure <= 9; failure++) {
            assertThat(fails(http(500, Map.of()))).as("failure " + failure).isTrue();
            long base = Math.min(1000L << (failure - 1), 60_000L);
            assertThat(delay()).as("failure " + failure).isBetween(base / 2, base * 3 / 2);
            clock.advance(Duration.ofMillis(delay()));
        }
    }

    @Test
    void aRateLimitWaitsExactlyWhatItAsks() {
        assertThat(fails(http(429, Map.of("Retry-After", "7")))).isTrue();

        assertThat(delay()).isEqualTo(7_000L);
    }

    @Test
    void aRefusalIsNotRetriedAndSaysWhy() {
        assertThat(fails(http(404, Map.of()))).isFalse();

        assertThat(policy.deadLetter(exchange).reason()).isEqualTo("slack refused it: HTTP 404 channel_not_found");
    }

    @Test
    void itGivesUpWhenTheNextTryWouldComeAfterGiveUpAfterWithEveryAttemptInTheDeadLetter() {
        int tries = 0;
        while (fails(new ConnectException("Connection refused"))) {
            tries++;
            clock.advance(Duration.ofMillis(delay()));
            assertThat(tries).as("it never gives up").isLessThan(100);
        }

        DeadLetter letter = policy.deadLetter(exchange);
        assertThat(letter.reason()).startsWith("still failing after").contains((tries + 1) + " attempts")
                .endsWith("ConnectException: Connection refused");
        assertThat(letter.attempts()).hasSize(tries + 1);
        assertThat(Instant.parse(letter.attempts().get(tries).at()))
                .isBeforeOrEqualTo(Instant.parse("2026-12-01T10:10:00Z"));
        assertThat(letter.delivery().id()).isEqualTo("e-1-slack");
    }

    private boolean fails(Throwable failure) {
        exchange.setException(failure);
        return policy.matches(exchange);
    }

    private long delay() {
        return exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY, Long.class);
    }

    private static HttpOperationFailedException http(int status, Map<String, String> headers) {
        return new HttpOperationFailedException("https://hooks.slack.com/services/T0/B0/x", status, "status", null,
                headers, status == 404 ? "channel_not_found" : "");
    }
}
