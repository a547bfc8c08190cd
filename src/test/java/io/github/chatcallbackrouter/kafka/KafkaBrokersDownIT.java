package io.github.chatcallbackrouter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.support.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka mode when the brokers go away: an alarm cannot be kept, so Chat hears 503 with Tencent's FAIL JSON within
 * the publish timeout (and sends it again), with none of the router's headers; other callbacks are answered as
 * usual. The broker is the test's own, so stopping it disturbs no other test.
 */
class KafkaBrokersDownIT {

    @TempDir
    Path dataDir;
    @TempDir
    Path brokerDir;

    @Test
    void anAlarmIsRefused503InFailJsonWithNoInternalHeader() throws Exception {
        KafkaBroker broker = KafkaBroker.startPrivate(brokerDir);
        broker.createTopic("down-alerts", 1);
        broker.createTopic("down-delivered", 1);
        try (RunningRouter router = startOn(broker)) {
            assertThat(router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit")).statusCode())
                    .as("while the broker is up").isEqualTo(200);

            broker.close();
            awaitClosed(broker.bootstrapServers());
            long started = System.nanoTime();
            HttpResponse<String> alarm = router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(alarm.statusCode()).isEqualTo(503);
            JsonNode fail = Json.MAPPER.readTree(alarm.body());
            assertThat(fail.get("ActionStatus").asText()).isEqualTo("FAIL");
            assertThat(fail.get("ErrorCode").asInt()).isEqualTo(50304);
            assertThat(alarm.headers().map().keySet()).allMatch(name ->
                    name.equalsIgnoreCase("content-type") || name.equalsIgnoreCase("content-length"));
            assertThat(took).isLessThan(Duration.ofSeconds(3));

            assertThat(router.post("State.StateChange", Samples.body("State.StateChange")).statusCode())
                    .isEqualTo(200);
        }
    }

    /** Until the broker's port refuses connections: its process may outlive the script's stop by a moment. */
    private static void awaitClosed(String bootstrapServers) throws InterruptedException {
        String[] hostPort = bootstrapServers.split(",")[0].split(":");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                Thread.sleep(100);
            } catch (java.io.IOException refused) {
                return;
            }
        }
        throw new IllegalStateException("the broker still listens on " + bootstrapServers);
    }

    private RunningRouter startOn(KafkaBroker broker) throws Exception {
        return RunningRouter.start(dataDir, "", Map.of(
                "router.mode", "kafka",
                "kafka.bootstrap-servers", broker.bootstrapServers(),
                "kafka.topic.alerts", "down-alerts",
                "kafka.topic.delivered", "down-delivered",
                "kafka.group-id", "down",
                "kafka.publish-timeout-ms", "1000"));
    }
}
