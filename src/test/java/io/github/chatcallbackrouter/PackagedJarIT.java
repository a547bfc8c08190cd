package io.github.chatcallbackrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar, run from the checkout and configured only by the documented environment variables. */
class PackagedJarIT {

    private static final String OK = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";

    @TempDir
    Path dataDir;
    @TempDir
    Path logDir;

    private static String signedQuery(String sdkAppId, String command, String token) {
        String time = String.valueOf(Instant.now().getEpochSecond());
        return "?SdkAppid=" + sdkAppId + "&CallbackCommand=" + command + "&contenttype=json&Sign="
                + CallbackSignature.sign(token, time) + "&RequestTime=" + time;
    }

    @Test
    void everyDocumentedEnvironmentVariableOverridesTheFile() throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        slack.stubFor(post("/services/T1/B1/env").willReturn(aResponse().withStatus(200).withBody("ok")));
        int port = AvailablePortFinder.getNextAvailable();
        String base = "http://127.0.0.1:" + port + "/tencent/callback";
        String token = "env-token-never-logged";
        try (RouterProcess router = RouterProcess.start(Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(port),
                "TENCENT_SDKAPPID", "1400000077, 1400000078",
                "TENCENT_CALLBACK_TOKEN", token,
                "SLACK_WEBHOOK_URL", slack.baseUrl() + "/services/T1/B1/env",
                "ROUTER_DATA_DIR", dataDir.toString()), logDir.resolve("router.log"))) {

            // CAMEL_SERVER_PORT: the port is ours; and the first answer ever given is not a 404
            HttpResponse<String> first = router.firstAnswer(RouterProcess.post(
                    base + signedQuery("1400000078", "State.StateChange", token),
                    Samples.body("State.StateChange")), Duration.ofSeconds(30));
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(OK);

            HttpClient http = HttpClient.newHttpClient();
            // TENCENT_SDKAPPID: the file's default app is no longer accepted
            assertThat(http.send(RouterProcess.post(base + signedQuery("1400000000", "State.StateChange", token),
                    "{}"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
            // TENCENT_CALLBACK_TOKEN: unsigned callbacks are refused
            assertThat(http.send(RouterProcess.post(base + "?SdkAppid=1400000077&CallbackCommand=State.StateChange",
                    "{}"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

            HttpResponse<String> alarm = http.send(RouterProcess.post(
                    base + signedQuery("1400000077", "Alert.RequestOverLimit", token),
                    Samples.body("Alert.RequestOverLimit")), HttpResponse.BodyHandlers.ofString());
            assertThat(alarm.body()).isEqualTo(OK);
            // SLACK_WEBHOOK_URL: the alarm went to our webhook
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    slack.verify(1, postRequestedFor(urlEqualTo("/services/T1/B1/env"))));
            // ROUTER_DATA_DIR: the alert file is under it
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(dataDir.resolve("alerts"))
                    .isDirectoryContaining("glob:**/alerts-*.jsonl"));

            // CAMEL_MANAGEMENT_PORT: health and metrics answer there, and only there
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(
                    router.managementUrl("/observe/health"))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(
                    router.managementUrl("/observe/metrics"))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains(
                    "chat_callbacks_total{app=\"1400000077\",command=\"Alert.RequestOverLimit\",outcome=\"accepted\"} 1.0");
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

            assertThat(router.output()).contains("channel slack (slack) is on").doesNotContain(token).doesNotContain("/B1/env");
            // one block says what this router does; nothing before it is a throw-away context or a route list
            String output = router.output();
            String before = output.substring(0, output.indexOf(" is up "));
            assertThat(before).doesNotContain("shutting down").doesNotContain("Started ").doesNotContain("0.0.0.0");
            // how long the start took, in the summary's first line
            assertThat(output).containsPattern("is up [0-9]+\\.[0-9]{2} s after java started, in local mode: "
                            + "Chat's callbacks at http://0.0.0.0:" + port + "/tencent/callback")
                    .contains("app 1400000077: SDKAppID 1400000077; signature check on")
                    .contains("app 1400000078: SDKAppID 1400000078; signature check on")
                    .contains("callers: any address")
                    .contains("data: " + dataDir.toAbsolutePath())
                    .contains("app 1400000077's backend: none")
                    .contains("health and metrics: http://127.0.0.1:");
        } finally {
            slack.stop();
        }
    }

    @Test
    void withoutSlackItSaysAlertsGoToTheFileAndHowToTurnSlackOn() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        try (RouterProcess router = RouterProcess.start(Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(port),
                "ROUTER_DATA_DIR", dataDir.toString()), logDir.resolve("router.log"))) {
            HttpResponse<String> first = router.firstAnswer(RouterProcess.post(
                    "http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=1400000000"
                            + "&CallbackCommand=Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit")),
                    Duration.ofSeconds(30));

            assertThat(first.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(router.output())
                    .contains("Slack is off. To post alerts to Slack, set SLACK_WEBHOOK_URL")
                    .contains("alarms go to the alert file only (alerts.channels = slack)"));
            await().atMost(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> assertThat(Files.list(
                    dataDir.resolve("alerts")).count()).isEqualTo(1));
        }
    }
}
