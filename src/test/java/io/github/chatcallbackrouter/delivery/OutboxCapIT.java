package io.github.chatcallbackrouter.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.observe.Scrape;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's cap for a backend that is down: what is not an alarm is refused with outbox_full once it is reached
 * (Chat hears why), an alarm never is, and health says how full it is.
 */
class OutboxCapIT {

    @TempDir
    Path dataDir;

    @Test
    void atTheCapAfterCallbacksAreRefusedAndAlarmsAreNot() throws Exception {
        String deadBackend = "http://127.0.0.1:" + AvailablePortFinder.getNextAvailable() + "/im";
        try (RunningRouter router = RunningRouter.start(dataDir, "", Map.of(
                "upstream.url", deadBackend,
                "upstream.commands", "State.StateChange,Alert.RequestOverLimit",
                "http.max-queued", "5"))) {
            for (int i = 0; i < 5; i++) {
                assertThat(router.post("State.StateChange", Samples.body("State.StateChange")).body())
                        .contains("\"ErrorCode\":0");
            }

            HttpResponse<String> refused = router.post("State.StateChange", Samples.body("State.StateChange"));
            HttpResponse<String> alarm = router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit"));

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"ActionStatus\":\"FAIL\"").contains("\"ErrorCode\":50305")
                    .contains("the outbox for upstream:1400000001 is full (5 deliveries wait for it");
            assertThat(alarm.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Scrape.of(router)
                    .value("chat_destination_queued{destination=\"upstream:1400000001\"}")).isEqualTo(6));
            assertThat(Scrape.of(router).value("chat_deliveries_total{destination=\"upstream:1400000001\",outcome=\"refused_full\"}"))
                    .isEqualTo(1);
            assertThat(Scrape.of(router).value("chat_callbacks_total{app=\"1400000001\",command=\"State.StateChange\",outcome=\"outbox_full\"}"))
                    .isEqualTo(1);
            String health = router.send(HttpRequest.newBuilder(URI.create(router.managementUrl("/observe/health")))
                    .build()).body();
            assertThat(health).contains("\"status\":\"UP\"").contains("the outbox for upstream:1400000001 is 120% full");
        }
    }
}
