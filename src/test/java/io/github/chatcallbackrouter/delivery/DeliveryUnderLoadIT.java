package io.github.chatcallbackrouter.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.chatcallbackrouter.Load;
import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.Timing;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.observe.Scrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged router in front of an app backend that goes down or slows down under a stream of After-callbacks:
 * an outage is waited out (no dead letters, health names the backend) and everything is delivered once it is
 * back; a backlog for the backend does not hold up an alarm on its way to Slack.
 */
@Timing
class DeliveryUnderLoadIT {

    private static final String TOKEN = "delivery-it-token";
    private static final String SDKAPPID = "1400000042";
    private static final String PATH = "/im/callback";
    private static final String HOOK = "/services/T1/B1/load";

    @TempDir
    Path dataDir;
    @TempDir
    Path logs;
    private final int port = AvailablePortFinder.getNextAvailable();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<WireMockServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(WireMockServer::stop);
    }

    private WireMockServer server(int port, int threads) {
        WireMockServer server = new WireMockServer(options().port(port).containerThreads(threads)
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(threads)
                .jettyAcceptors(1));
        server.start();
        servers.add(server);
        return server;
    }

    private RouterProcess router(int backendPort, String slackUrl) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(port),
                "CAMEL_SERVER_HOST", "127.0.0.1",
                "TENCENT_SDKAPPID", SDKAPPID,
                "TENCENT_CALLBACK_TOKEN", TOKEN,
                "ROUTER_DATA_DIR", dataDir.toString(),
                "UPSTREAM_CALLBACK_URL", "http://127.0.0.1:" + backendPort + PATH,
                "UPSTREAM_COMMANDS", "State.StateChange",
                "SLACK_WEBHOOK_URL", slackUrl,
                "ALERTS_GROUP_WINDOW", "0"));
        // the shipped backoff (1 s doubling to 30 s) made shorter, so that an outage of seconds spans as many
        // retries as one of minutes
        environment.put("HTTP_RETRY_INITIAL_DELAY", "100ms");
        environment.put("HTTP_RETRY_MAX_DELAY", "300ms");
        RouterProcess router = RouterProcess.start(environment, logs.resolve("router.log"));
        router.firstAnswer(HttpRequest.newBuilder(URI.create(url("Group.CallbackAfterGroupInfoChanged")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), Duration.ofSeconds(30));
        return router;
    }

    private String url(String command) {
        String time = String.valueOf(Instant.now().getEpochSecond());
        return "http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=" + SDKAPPID + "&CallbackCommand=" + command
                + "&contenttype=json&ClientIP=10.1.2.3&OptPlatform=iOS&Sign=" + CallbackSignature.sign(TOKEN, time)
                + "&RequestTime=" + time;
    }

    private static String stateChange(int i) {
        return "{\"CallbackCommand\":\"State.StateChange\",\"EventTime\":" + (1_700_000_000_000L + i)
                + ",\"Info\":{\"Action\":\"Login\",\"To_Account\":\"user" + i + "\",\"Reason\":\"Register\"}}";
    }

    /** {@code count} State.StateChange callbacks at {@code perSecond}, bodies made by {@code body}; their answers. */
    private List<HttpResponse<String>> sendAtRate(int count, int perSecond, Function<Integer, String> body)
            throws Exception {
        return Load.atRate(count, perSecond, 100, i -> http.sendAsync(HttpRequest.newBuilder(
                URI.create(url("State.StateChange"))).POST(HttpRequest.BodyPublishers.ofString(body.apply(i))).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private long deadLetters() throws Exception {
        Path directory = dataDir.resolve("dead-letter");
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    private static double retried(RouterProcess router) throws Exception {
        return Scrape.at(router.managementUrl("/observe/metrics"))
                .value("chat_deliveries_total{destination=\"upstream:" + SDKAPPID + "\",outcome=\"retried\"}");
    }

    private String health(RouterProcess router) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(router.managementUrl("/observe/health"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aBackendOutageIsWaitedOutAndEveryCallbackIsDeliveredOnceWhenItIsBack() throws Exception {
        int backendPort = AvailablePortFinder.getNextAvailable();
        try (RouterProcess router = router(backendPort, "")) {
            List<HttpResponse<String>> answers = sendAtRate(2000, 1000, DeliveryUnderLoadIT::stateChange);
            assertThat(answers).allSatisfy(answer -> {
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).contains("\"ErrorCode\":0");
            });

            // the backend stays down through some twenty retries (a minute's worth at the shipped delays): nothing
            // given up, and health says which destination fails
            await().atMost(Duration.ofSeconds(30)).until(() -> health(router).contains("has failed for"));
            double retriedBefore = retried(router);
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10))
                    .until(() -> deadLetters() == 0);
            assertThat(retried(router) - retriedBefore).as("retries while it was down").isGreaterThanOrEqualTo(10);
            assertThat(health(router)).contains("\"status\":\"UP\"").contains("DEGRADED: upstream:1400000042 has failed for")
                    .contains("2000 deliveries wait for it");
            assertThat(router.outboxDepth()).isEqualTo(2000);

            WireMockServer backend = server(backendPort, 100);
            backend.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                    .withBody("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}")));
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> router.outboxDepth() == 0);
            System.out.printf("2000 After-callbacks delivered %.1f s after the backend came back%n",
                    (System.nanoTime() - back) / 1e9);

            List<LoggedRequest> delivered = backend.findAll(postRequestedFor(urlPathEqualTo(PATH))
                    .withRequestBody(containing("State.StateChange")));
            Map<String, Long> perBody = delivered.stream().collect(Collectors.groupingBy(LoggedRequest::getBodyAsString,
                    Collectors.counting()));
            assertThat(perBody).hasSize(2000);
            assertThat(perBody.values()).as("each delivered once").allMatch(count -> count == 1);
            assertThat(deadLetters()).isZero();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(health(router)).doesNotContain("DEGRADED"));
            assertThat(router.output()).doesNotContain("RejectedExecutionException").doesNotContain(TOKEN);
        }
    }

    @Test
    void anAlarmReachesSlackWithinSecondsBehindABacklogForASlowBackend() throws Exception {
        WireMockServer backend = server(0, 200);
        backend.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(1000)
                .withBody("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}")));
        WireMockServer slack = server(0, 10);
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));
        try (RouterProcess router = router(backend.port(), slack.baseUrl() + HOOK)) {
            // a warm-up at a gentle rate (a cold JVM answers its first callbacks slowly), then the backlog
            List<HttpResponse<String>> answers = new ArrayList<>(sendAtRate(200, 200, DeliveryUnderLoadIT::stateChange));
            answers.addAll(sendAtRate(2800, 1000, i -> stateChange(200 + i)));
            assertThat(answers).allMatch(answer -> answer.statusCode() == 200);
            assertThat(router.outboxDepth()).as("queued for the slow backend").isGreaterThan(2500);

            long sent = System.nanoTime();
            HttpResponse<String> alarm = http.send(HttpRequest.newBuilder(URI.create(url("Alert.RequestOverLimit")))
                    .POST(HttpRequest.BodyPublishers.ofString(Samples.body("Alert.RequestOverLimit"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(alarm.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                    slack.verify(1, postRequestedFor(urlEqualTo(HOOK))));
            System.out.printf("the alarm reached Slack %.0f ms after it was sent, %d deliveries queued for the backend%n",
                    (System.nanoTime() - sent) / 1e6, (long) router.outboxDepth());
        }
    }
}
