package io.github.chatcallbackrouter.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.Timing;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.support.Json;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar in front of a fake app backend (a real HTTP server that records what it receives): Chat hears
 * the backend's answer to a Before-callback as it was, or the fail policy's when the backend is slow, failing or
 * talking nonsense; After-callbacks reach the backend once each, across its outage and a kill -9 of the router,
 * signed afresh.
 */
@Timing
class UpstreamIT {

    private static final String TOKEN = "upstream-it-token";
    private static final String SDKAPPID = "1400000042";
    private static final String PATH = "/im/callback";

    @TempDir
    Path dataDir;
    @TempDir
    Path logs;
    WireMockServer backend = new WireMockServer(options().dynamicPort().containerThreads(400)
            .asynchronousResponseEnabled(true).asynchronousResponseThreads(50));
    int port = AvailablePortFinder.getNextAvailable();
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startBackend() {
        backend.start();
    }

    @AfterEach
    void stopBackend() {
        backend.stop();
    }

    private RouterProcess router(Map<String, String> extra) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(port),
                "CAMEL_SERVER_HOST", "127.0.0.1",
                "TENCENT_SDKAPPID", SDKAPPID,
                "TENCENT_CALLBACK_TOKEN", TOKEN,
                "ROUTER_DATA_DIR", dataDir.toString(),
                "UPSTREAM_CALLBACK_URL", backend.baseUrl() + PATH,
                "UPSTREAM_BUDGET_MS", "400",
                "HTTP_RETRY_INITIAL_DELAY", "200ms",
                "HTTP_RETRY_MAX_DELAY", "500ms",
                "ROUTER_RECOVER_INTERVAL", "1s"));
        environment.putAll(extra);
        RouterProcess router = RouterProcess.start(environment, logs.resolve("router-" + System.nanoTime() + ".log"));
        router.firstAnswer(RouterProcess.post(url("Group.CallbackAfterGroupInfoChanged"), "{}"),
                Duration.ofSeconds(30));
        return router;
    }

    private String url(String command) {
        String time = String.valueOf(Instant.now().getEpochSecond());
        return "http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=" + SDKAPPID + "&CallbackCommand=" + command
                + "&contenttype=json&ClientIP=10.1.2.3&OptPlatform=iOS&Sign=" + CallbackSignature.sign(TOKEN, time)
                + "&RequestTime=" + time;
    }

    private HttpResponse<String> send(String command, String body) throws Exception {
        return http.send(RouterProcess.post(url(command), body), HttpResponse.BodyHandlers.ofString());
    }

    /** The backend answers a C2C message by who sent it: each From_Account is one behaviour. */
    private void backendAnswers(String from, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        backend.stubFor(post(urlPathEqualTo(PATH)).withRequestBody(containing("\"From_Account\":\"" + from + "\""))
                .willReturn(answer));
    }

    private static String message(String from, String text) {
        return Json.MAPPER.createObjectNode().put("CallbackCommand", "C2C.CallbackBeforeSendMsg")
                .put("From_Account", from).put("To_Account", "bob").put("MsgSeq", 1).put("MsgKey", from)
                .set("MsgBody", Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode()
                        .put("MsgType", "TIMTextElem").set("MsgContent", Json.MAPPER.createObjectNode()
                                .put("Text", text)))).toString();
    }

    @Test
    void chatHearsTheBackendsAnswerAsItWasOrTheFailPolicys() throws Exception {
        String allow = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";
        String deny = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"not to bob\",\"ErrorCode\":120042}";
        String replace = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0,\"MsgBody\":[{\"MsgType\":"
                + "\"TIMTextElem\",\"MsgContent\":{\"Text\":\"[removed]\"}}],\"CloudCustomData\":\"checked\"}";
        backendAnswers("allowed", aResponse().withStatus(200).withBody(allow));
        backendAnswers("denied", aResponse().withStatus(200).withBody(deny));
        backendAnswers("replaced", aResponse().withStatus(200).withBody(replace));
        backendAnswers("slow", aResponse().withStatus(200).withBody(deny).withFixedDelay(1500));
        backendAnswers("failing", aResponse().withStatus(500).withBody("boom"));
        backendAnswers("garbage", aResponse().withStatus(200).withBody("<html>surprise</html>"));

        try (RouterProcess router = router(Map.of("UPSTREAM_DENY_WHEN_DOWN", "Group.CallbackBeforeSendMsg"))) {
            assertThat(send("C2C.CallbackBeforeSendMsg", message("allowed", "hi")).body()).isEqualTo(allow);
            assertThat(send("C2C.CallbackBeforeSendMsg", message("denied", "hi")).body()).isEqualTo(deny);
            assertThat(send("C2C.CallbackBeforeSendMsg", message("replaced", "hi")).body()).isEqualTo(replace);

            long started = System.nanoTime();
            HttpResponse<String> slow = send("C2C.CallbackBeforeSendMsg", message("slow", "hi"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1200));
            // Chat's own default when an app does not answer: allow
            assertThat(slow.body()).isEqualTo("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}");
            assertThat(send("C2C.CallbackBeforeSendMsg", message("failing", "hi")).body()).contains("\"ErrorCode\":0");
            assertThat(send("C2C.CallbackBeforeSendMsg", message("garbage", "hi")).body()).contains("\"ErrorCode\":0");
            // a word the operator wants denied when the backend cannot answer
            String group = message("failing", "hi").replace("C2C.CallbackBeforeSendMsg", "Group.CallbackBeforeSendMsg");
            assertThat(send("Group.CallbackBeforeSendMsg", group).body()).contains("\"ErrorCode\":1");

            // the backend saw each callback exactly as Chat sent it: the query and the body
            LoggedRequest seen = backend.findAll(postRequestedFor(urlPathEqualTo(PATH))
                    .withRequestBody(containing("\"From_Account\":\"denied\""))).get(0);
            assertThat(seen.getBodyAsString()).isEqualTo(message("denied", "hi"));
            assertThat(seen.getUrl()).startsWith(PATH + "?SdkAppid=" + SDKAPPID
                    + "&CallbackCommand=C2C.CallbackBeforeSendMsg&contenttype=json&ClientIP=10.1.2.3&OptPlatform=iOS&Sign=");
            assertThat(router.output()).contains("did not decide C2C.CallbackBeforeSendMsg (timeout)")
                    .contains("(status): HTTP 500").contains("(not_json)").doesNotContain(TOKEN);
        }
    }

    @Test
    void afterCallbacksReachTheBackendOnceEachAcrossItsOutageAndAKillMinus9() throws Exception {
        backend.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        List<String> sent = new java.util.ArrayList<>();
        try (RouterProcess router = router(Map.of())) {
            for (int i = 0; i < 20; i++) {
                String body = "{\"CallbackCommand\":\"Group.CallbackAfterNewMemberJoin\",\"GroupId\":\"@TGS#" + i
                        + "\",\"NewMemberList\":[{\"Member_Account\":\"m" + i + "\"}]}";
                assertThat(send("Group.CallbackAfterNewMemberJoin", body).body()).contains("\"ErrorCode\":0");
                sent.add(body);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.findAll(postRequestedFor(urlPathEqualTo(PATH))
                    .withRequestBody(containing("AfterNewMemberJoin"))).size() >= 20);
            router.kill();
        }

        backend.resetRequests();
        backend.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withBody("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}")));
        // from the next second on, a relay made now carries a RequestTime later than any made before the kill
        long killedIn = Instant.now().getEpochSecond();
        await().atMost(Duration.ofSeconds(2)).until(() -> Instant.now().getEpochSecond() > killedIn);
        try (RouterProcess router = router(Map.of())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> delivered().size() >= 20);
            await().atMost(Duration.ofSeconds(5)).until(() -> router.outboxDepth() == 0);
            Map<String, Long> counts = delivered().stream().map(LoggedRequest::getBodyAsString)
                    .collect(Collectors.groupingBy(body -> body, Collectors.counting()));
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(counts.values()).allMatch(count -> count == 1);
            for (LoggedRequest request : delivered()) {
                String time = request.queryParameter("RequestTime").firstValue();
                assertThat(request.queryParameter("Sign").firstValue()).isEqualTo(CallbackSignature.sign(TOKEN, time));
                assertThat(Long.parseLong(time)).as("signed when relayed").isGreaterThan(killedIn)
                        .isLessThanOrEqualTo(Instant.now().getEpochSecond());
            }
            assertThat(router.output()).doesNotContain(TOKEN);
        }
    }

    private List<LoggedRequest> delivered() {
        return backend.findAll(postRequestedFor(urlPathEqualTo(PATH))
                .withRequestBody(containing("AfterNewMemberJoin")));
    }

    /**
     * 300 Before-callbacks wait for a backend that takes 1.2 s (long enough to hold them all in flight while other
     * callbacks are timed on these 2 cores): no thread is added, and the others are answered as usual.
     */
    @Test
    void hundredsOfBeforeCallbacksWaitingForASlowBackendHoldNoThreadAndStallNothingElse() throws Exception {
        backend.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withBody("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}").withFixedDelay(1200)));
        try (RouterProcess router = router(Map.of("UPSTREAM_BUDGET_MS", "1700"))) {
            HttpClient other = HttpClient.newHttpClient();
            other.send(RouterProcess.post(url("Alert.RequestOverLimit"), Samples.body("Alert.RequestOverLimit")),
                    HttpResponse.BodyHandlers.ofString());
            int threadsBefore = threads(router);
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(300);
            try {
                List<java.util.concurrent.Future<HttpResponse<String>>> waiting = new java.util.ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    String body = message("user" + i, "hello");
                    waiting.add(callers.submit(() -> send("C2C.CallbackBeforeSendMsg", body)));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> backend.findAll(postRequestedFor(
                        urlPathEqualTo(PATH)).withRequestBody(containing("BeforeSendMsg"))).size() >= 300);
                int threadsDuring = threads(router);
                List<Long> took = new java.util.ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    long started = System.nanoTime();
                    assertThat(other.send(RouterProcess.post(url("Alert.RequestOverLimit"),
                            Samples.body("Alert.RequestOverLimit")), HttpResponse.BodyHandlers.ofString())
                            .statusCode()).isEqualTo(200);
                    took.add((System.nanoTime() - started) / 1_000_000);
                }
                System.out.println("other callbacks (ms): " + took);
                long worst = java.util.Collections.max(took) * 1_000_000;
                for (java.util.concurrent.Future<HttpResponse<String>> answer : waiting) {
                    assertThat(answer.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                }
                System.out.printf("300 Before-callbacks in flight: router threads %d -> %d; slowest other callback %.1f ms%n",
                        threadsBefore, threadsDuring, worst / 1e6);
                assertThat(threadsDuring - threadsBefore).as("threads added while 300 wait").isLessThan(30);
                assertThat(Duration.ofNanos(worst)).as("other callbacks meanwhile").isLessThan(Duration.ofMillis(400));
            } finally {
                callers.shutdownNow();
            }
        }
    }

    private static int threads(RouterProcess router) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + router.pid() + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).trim());
            }
        }
        throw new IllegalStateException("no Threads line");
    }

    @Test
    void theShippedDecisionRulesBanWordsMaskPhoneNumbersAndRefuseGroupTypes() throws Exception {
        Path workDir = Files.createDirectories(logs.resolve("work"));
        io.github.chatcallbackrouter.ShippedRoutes.copyInto(workDir);
        Files.copy(Path.of("application.properties"), workDir.resolve("application.properties"));
        Files.writeString(workDir.resolve("routes/banned-words.txt"), "# test\nfree crypto\n");
        Map<String, String> environment = new HashMap<>(Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(port), "CAMEL_SERVER_HOST", "127.0.0.1",
                "TENCENT_SDKAPPID", SDKAPPID, "TENCENT_CALLBACK_TOKEN", TOKEN,
                "ROUTER_DATA_DIR", dataDir.toString(),
                "DECIDE_MASK_PHONE_NUMBERS", "true", "DECIDE_REFUSED_GROUP_TYPES", "AVChatRoom,Community"));
        try (RouterProcess router = RouterProcess.start(environment, logs.resolve("rules.log"), workDir)) {
            router.firstAnswer(RouterProcess.post(url("State.StateChange"), "{}"), Duration.ofSeconds(30));

            JsonNode banned = Json.MAPPER.readTree(send("C2C.CallbackBeforeSendMsg",
                    message("alice", "Get FREE Crypto now")).body());
            assertThat(banned.get("ErrorCode").asInt()).isEqualTo(1);

            JsonNode masked = Json.MAPPER.readTree(send("C2C.CallbackBeforeSendMsg",
                    message("alice", "call me at 13812345678 or +44 20 7946 0958")).body());
            assertThat(masked.get("ErrorCode").asInt()).isZero();
            assertThat(masked.at("/MsgBody/0/MsgContent/Text").asText())
                    .isEqualTo("call me at 138****5678 or +44 2* **** 0958");

            JsonNode refused = Json.MAPPER.readTree(send("Group.CallbackBeforeCreateGroup",
                    Samples.body("Group.CallbackBeforeCreateGroup").replace("\"Public\"", "\"AVChatRoom\"")).body());
            assertThat(refused.get("ErrorCode").asInt()).isEqualTo(10100);
            assertThat(refused.get("ErrorInfo").asText()).contains("AVChatRoom");
            assertThat(send("Group.CallbackBeforeCreateGroup", Samples.body("Group.CallbackBeforeCreateGroup"))
                    .body()).contains("\"ErrorCode\":0");

            // a word added to the saved file counts within a second or two, without a restart
            Files.writeString(workDir.resolve("routes/banned-words.txt"), "free crypto\nspam\n");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Json.MAPPER.readTree(
                    send("C2C.CallbackBeforeSendMsg", message("alice", "This is SPAM")).body())
                    .get("ErrorCode").asInt()).isEqualTo(1));
            assertThat(send("C2C.CallbackBeforeSendMsg", message("alice", "hello")).body())
                    .isEqualTo("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}");
        }
    }
}
