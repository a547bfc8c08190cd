package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.LogCapture;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bad request gets Tencent's FAIL JSON with its own HTTP status, ErrorCode and a reason a human understands,
 * is logged once without the token, and does not disturb the valid callbacks around it.
 */
class CallbackRefusalIT {

    private static final String ALARM = Samples.body("Alert.RequestOverLimit");
    private static final int MAX_BODY = 4096;

    @RegisterExtension
    static final RunningRouter router = RunningRouter.withoutSlack()
            .settings(Map.of("camel.server.max-body-size", String.valueOf(MAX_BODY)));
    // capturing before the router starts: its start-up lines are checked too
    static final LogCapture logs = new LogCapture();

    @AfterAll
    static void stopCapturing() {
        logs.close();
    }

    static String signedQuery(String sdkAppId, String command, long requestTime) {
        String time = String.valueOf(requestTime);
        return "SdkAppid=" + sdkAppId + "&CallbackCommand=" + command + "&contenttype=json"
                + "&Sign=" + CallbackSignature.sign(RunningRouter.TOKEN, time) + "&RequestTime=" + time;
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static HttpRequest post(String query, String body) {
        return HttpRequest.newBuilder(URI.create(router.url(query)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static Arguments refusal(String name, Function<RunningRouter, HttpRequest> request, int status, int errorCode,
                             String reason) {
        return Arguments.of(name, request, status, errorCode, reason);
    }

    static Stream<Arguments> badRequests() {
        String alarm = "Alert.RequestOverLimit";
        return Stream.of(
                refusal("GET instead of POST", r -> HttpRequest.newBuilder(URI.create(
                        r.signedUrl(alarm))).GET().build(), 405, 40501, "POST, not GET"),
                refusal("PUT instead of POST", r -> HttpRequest.newBuilder(URI.create(r.signedUrl(alarm)))
                        .PUT(HttpRequest.BodyPublishers.ofString(ALARM)).build(), 405, 40501, "POST, not PUT"),
                refusal("no SdkAppid", r -> post(signedQuery("", alarm, now()).replace("SdkAppid=&", ""), ALARM),
                        403, 40301, "SdkAppid query parameter is missing"),
                refusal("another app's SdkAppid", r -> post(signedQuery("1400999999", alarm, now()), ALARM),
                        403, 40301, "SdkAppid 1400999999 is not an SDKAppID of this router"),
                refusal("SdkAppid twice, differently", r -> post(signedQuery(RunningRouter.SDKAPPID, alarm, now())
                        + "&sdkappid=1400999999", ALARM), 400, 40001, "more than once"),
                refusal("no Sign", r -> post("SdkAppid=" + RunningRouter.SDKAPPID + "&CallbackCommand=" + alarm
                        + "&RequestTime=" + now(), ALARM), 401, 40101, "Sign and RequestTime"),
                refusal("no RequestTime", r -> post(signedQuery(RunningRouter.SDKAPPID, alarm, now())
                        .replaceAll("&RequestTime=\\d+", ""), ALARM), 401, 40101, "Sign and RequestTime"),
                refusal("Sign made with another token", r -> post("SdkAppid=" + RunningRouter.SDKAPPID
                        + "&CallbackCommand=" + alarm + "&Sign=" + CallbackSignature.sign("guess", "" + now())
                        + "&RequestTime=" + now(), ALARM), 401, 40102, "Sign does not match"),
                refusal("RequestTime not a number", r -> post("SdkAppid=" + RunningRouter.SDKAPPID
                        + "&CallbackCommand=" + alarm + "&Sign=" + CallbackSignature.sign(RunningRouter.TOKEN, "soon")
                        + "&RequestTime=soon", ALARM), 401, 40102, "RequestTime is not a Unix time"),
                refusal("replayed two minutes later", r -> post(signedQuery(RunningRouter.SDKAPPID, alarm,
                        now() - 120), ALARM), 401, 40103, "possible replay"),
                refusal("RequestTime two minutes ahead", r -> post(signedQuery(RunningRouter.SDKAPPID, alarm,
                        now() + 120), ALARM), 401, 40103, "possible replay"),
                refusal("RequestTime near -2^63, correctly signed", r -> post(signedQuery(RunningRouter.SDKAPPID,
                        alarm, Long.MIN_VALUE + 1), ALARM), 401, 40103, "possible replay"),

                refusal("body names another command", r -> post(signedQuery(RunningRouter.SDKAPPID,
                        "State.StateChange", now()), ALARM), 400, 40003,
                        "body names CallbackCommand Alert.RequestOverLimit but the URL names State.StateChange"),
                refusal("empty body", r -> post(signedQuery(RunningRouter.SDKAPPID, alarm, now()), ""),
                        400, 40004, "body is empty"),
                refusal("broken JSON", r -> post(signedQuery(RunningRouter.SDKAPPID, alarm, now()),
                        "{\"ServiceName\": \"openim\","), 400, 40005, "not valid JSON"),
                refusal("JSON followed by junk", r -> post(signedQuery(RunningRouter.SDKAPPID, alarm, now()),
                        "{\"a\":1} trailing"), 400, 40005, "not valid JSON"),
                refusal("a key given twice (readers would see different messages)", r -> post(signedQuery(
                        RunningRouter.SDKAPPID, "C2C.CallbackBeforeSendMsg", now()), "{\"CallbackCommand\":"
                        + "\"C2C.CallbackBeforeSendMsg\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":"
                        + "{\"Text\":\"hello\",\"Text\":\"spam\"}}]}"), 400, 40005, "body gives a key twice: 'Text'"),
                refusal("JSON array", r -> post(signedQuery(RunningRouter.SDKAPPID, alarm, now()), "[" + ALARM + "]"),
                        400, 40006, "not an object"),
                refusal("oversized body", r -> post(signedQuery(RunningRouter.SDKAPPID, alarm, now()),
                        "{\"pad\":\"" + "x".repeat(MAX_BODY) + "\"}"), 413, 41301, "4096 bytes"),
                refusal("oversized chunked body", r -> HttpRequest.newBuilder(URI.create(r.url(
                                signedQuery(RunningRouter.SDKAPPID, alarm, now()))))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                                ("{\"pad\":\"" + "x".repeat(MAX_BODY * 2) + "\"}").getBytes())))
                        .build(), 413, 41301, "4096 bytes"),
                refusal("wrong path", r -> HttpRequest.newBuilder(URI.create(r.url(signedQuery(RunningRouter.SDKAPPID,
                        alarm, now())).replace("/tencent/callback", "/tencent/callbak")))
                        .POST(HttpRequest.BodyPublishers.ofString(ALARM)).build(), 404, 40401, "/tencent/callbak"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusesWithFailJsonStatusAndReason(String name, Function<RunningRouter, HttpRequest> request, int status,
                                            int errorCode, String reason) throws Exception {
        int logLinesBefore = logs.lines().size();

        HttpResponse<String> response = router.send(request.apply(router));

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode answer = Json.MAPPER.readTree(response.body());
        assertThat(answer.get("ActionStatus").asText()).isEqualTo("FAIL");
        assertThat(answer.get("ErrorCode").asInt()).isEqualTo(errorCode);
        assertThat(answer.get("ErrorInfo").asText()).contains(reason);
        assertThat(answer.size()).as("only the three documented fields").isEqualTo(3);

        List<String> logged = logs.lines().subList(logLinesBefore, logs.lines().size()).stream()
                .filter(line -> line.contains("Refused")).toList();
        assertThat(logged).as("logged once, with the reason").hasSize(1);
        assertThat(logged.get(0)).startsWith("WARN").contains(String.valueOf(status)).contains(reason);
    }

    @Test
    void theMethodRefusalNamesTheAllowedMethod() throws Exception {
        HttpResponse<String> response = router.send(HttpRequest.newBuilder(
                URI.create(router.signedUrl("State.StateChange"))).GET().build());

        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void neverLogsTheToken() throws Exception {
        router.send(post("SdkAppid=" + RunningRouter.SDKAPPID + "&CallbackCommand=X&Sign=" + RunningRouter.TOKEN
                + "&RequestTime=" + now(), "{}"));

        assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(RunningRouter.TOKEN));
    }

    @Test
    void refusalsLoseNothingValidAroundThem() throws Exception {
        int linesBefore = AlertFiles.lines(router.dataDir()).size();
        HttpResponse<String> refused = router.send(post(signedQuery(RunningRouter.SDKAPPID,
                "Alert.RequestOverLimit", now() - 600), ALARM));
        HttpResponse<String> accepted = router.post("Alert.RequestOverLimit", ALARM);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(accepted.statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(AlertFiles.lines(router.dataDir())).hasSize(linesBefore + 1));
    }
}
