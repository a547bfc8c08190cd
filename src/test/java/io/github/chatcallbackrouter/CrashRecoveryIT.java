package io.github.chatcallbackrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 after the OK: every alarm Chat heard OK for still reaches Slack after a restart. Slack is down while the
 * alarms come in, the router is killed with SIGKILL, Slack comes up, the router starts again.
 */
class CrashRecoveryIT {

    private static final int ALARMS = 6;

    @TempDir
    Path dataDir;
    @TempDir
    Path logDir;

    @Test
    void everyAcknowledgedAlarmArrivesAfterSigkillAndRestart() throws Exception {
        int slackPort = AvailablePortFinder.getNextAvailable();
        int routerPort = AvailablePortFinder.getNextAvailable();
        String hook = "/services/T1/B1/crash";
        Map<String, String> environment = new HashMap<>(Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(routerPort),
                "TENCENT_SDKAPPID", "1400000000",
                "SLACK_WEBHOOK_URL", "http://127.0.0.1:" + slackPort + hook,
                "ROUTER_DATA_DIR", dataDir.toString(),
                "ALERTS_GROUP_WINDOW", "0",
                "SLACK_MIN_INTERVAL_MS", "50",
                "SLACK_RETRY_INITIAL_DELAY", "200ms",
                "SLACK_RETRY_MAX_DELAY", "500ms"));
        String url = "http://127.0.0.1:" + routerPort
                + "/tencent/callback?SdkAppid=1400000000&CallbackCommand=Alert.RequestOverLimit";
        List<String> apis = IntStream.range(0, ALARMS).mapToObj(i -> "crash_api_" + i).toList();

        RouterProcess first = RouterProcess.start(environment, logDir.resolve("first.log"));
        try {
            HttpResponse<String> ack = first.firstAnswer(RouterProcess.post(url, alarm(apis.get(0))),
                    Duration.ofSeconds(30));
            assertThat(ack.statusCode()).isEqualTo(200);
            HttpClient http = HttpClient.newHttpClient();
            for (String api : apis.subList(1, ALARMS)) {
                assertThat(http.send(RouterProcess.post(url, alarm(api)), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(200);
            }
        } finally {
            first.kill();
        }

        WireMockServer slack = new WireMockServer(options().port(slackPort));
        slack.start();
        slack.stubFor(post(hook).willReturn(aResponse().withStatus(200).withBody("ok")));
        try (RouterProcess second = RouterProcess.start(environment, logDir.resolve("second.log"))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<String> bodies = slack.getAllServeEvents().stream()
                        .map(e -> e.getRequest().getBodyAsString()).toList();
                for (String api : apis) {
                    assertThat(bodies).as("posts for " + api).anyMatch(body -> body.contains(api));
                }
            });
            // the journal and the outbox empty: any duplicate has arrived
            second.awaitNothingPending();
            int duplicates = slack.getAllServeEvents().size() - ALARMS;
            // the README's bound: a crash can repeat at most the one post that was in flight
            assertThat(duplicates).as("duplicate posts").isBetween(0, 1);
        } finally {
            slack.stop();
        }
    }

    private static String alarm(String command) {
        return "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"ServiceName\":\"openim\",\"Command\":\"" + command
                + "\",\"Request\":300,\"Limit\":200}";
    }
}
