package io.github.chatcallbackrouter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.LogCapture;
import io.github.chatcallbackrouter.RawHttp;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.Timing;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.RouterMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The callback port as an attacker finds it: requests no well-behaved client sends, sent over a plain socket.
 * Every one is answered in Tencent's JSON (or closed, when no request ever came), logged without a stack trace or
 * the token, and none holds the server.
 */
@Timing
class HostileRequestsIT {

    private static final String ALARM = Samples.body("Alert.RequestOverLimit");

    @RegisterExtension
    static final RunningRouter router = RunningRouter.withoutSlack().settings(Map.of(
            "camel.server.max-body-size", "32768",
            "router.http.max-buffered-bytes", "65536",
            "router.http.header-timeout", "1s",
            "router.http.body-timeout", "1s",
            "router.http.max-connections", "30"));
    // capturing before the router starts: its start-up lines are checked too
    static final LogCapture logs = new LogCapture();

    @AfterAll
    static void stopCapturing() {
        logs.close();
    }

    static String signedQuery(String command) {
        String time = String.valueOf(Instant.now().getEpochSecond());
        return "SdkAppid=" + RunningRouter.SDKAPPID + "&CallbackCommand=" + command + "&Sign="
                + CallbackSignature.sign(RunningRouter.TOKEN, time) + "&RequestTime=" + time;
    }

    static String post(String pathAndQuery, String headers, String body) {
        return "POST " + pathAndQuery + " HTTP/1.1\r\nHost: router\r\n" + headers
                + (body == null ? "" : "Content-Length: " + body.getBytes().length + "\r\n\r\n" + body);
    }

    static void assertFail(RawHttp.Answer answer, int status, int errorCode, String reason) throws Exception {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
        JsonNode json = Json.MAPPER.readTree(answer.body());
        assertThat(json.get("ActionStatus").asText()).isEqualTo("FAIL");
        assertThat(json.get("ErrorCode").asInt()).isEqualTo(errorCode);
        assertThat(json.get("ErrorInfo").asText()).contains(reason);
    }

    @Test
    void aBadPercentEncodingIsAFailAnswerWithoutAStackTraceOrTheSignInTheLog() throws Exception {
        int eventsBefore = logs.events().size();
        try (RawHttp http = new RawHttp(router.port())) {
            assertFail(http.send(post("/tencent/callback?" + signedQuery("Alert.RequestOverLimit") + "&foo=%zz",
                    "", ALARM)).read(), 400, 40001, "not valid URL encoding");
        }
        try (RawHttp http = new RawHttp(router.port())) {
            assertFail(http.send("GET /other?foo=%zz&Sign=" + RunningRouter.TOKEN + " HTTP/1.1\r\nHost: r\r\n\r\n")
                    .read(), 404, 40401, "no callback endpoint at /other");
        }

        List<String> lines = logs.lines().subList(eventsBefore, logs.lines().size());
        assertThat(lines).hasSize(2).allMatch(line -> line.startsWith("WARN")).noneMatch(line ->
                line.contains(RunningRouter.TOKEN));
        assertThat(logs.events().subList(eventsBefore, logs.events().size()))
                .allMatch(event -> event.getThrowableProxy() == null);
    }

    @Test
    void aRequestHttpCannotParseIsAFailAnswerToo() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            assertFail(http.send(post("/tencent/callback?" + signedQuery("State.StateChange"),
                    "X-Padding: " + "x".repeat(20_000) + "\r\n", "{}")).read(), 400, 40001, "could not be read");
        }
    }

    @Test
    void aRequestWithBothLengthAndChunkingIsRefusedAndClosedSoNothingSmuggledIsServed() throws Exception {
        Counter served = Metrics.globalRegistry.counter(RouterMeters.CALLBACKS, "app", RunningRouter.SDKAPPID,
                "command", "State.StateChange",
                "outcome", "accepted");
        double before = served.count();
        String smuggled = post("/tencent/callback?" + signedQuery("State.StateChange"), "",
                Samples.body("State.StateChange"));
        try (RawHttp http = new RawHttp(router.port())) {
            // read as chunked, the body ends at "0"; read by its length, the smuggled request is the body's tail
            http.send("POST /tencent/callback?" + signedQuery("State.StateChange") + " HTTP/1.1\r\nHost: r\r\n"
                    + "Content-Length: " + (5 + smuggled.length()) + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\n" + smuggled);

            assertFail(http.read(), 400, 40001, "both Content-Length and Transfer-Encoding");
            assertThat(http.closedByServer(Duration.ofSeconds(1))).as("closed, not read on").isTrue();
        }
        assertThat(served.count()).as("callbacks served").isEqualTo(before);
    }

    @Test
    void anHttp2PrefaceIsAFailAnswerNotAnEmpty501() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            http.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

            assertFail(http.read(), 400, 40001, "HTTP/2");
            assertThat(http.closedByServer(Duration.ofSeconds(1))).isTrue();
        }
    }

    @Test
    void pipelinedRequestsOfEveryFramingAreAllServed() throws Exception {
        String body = Samples.body("State.StateChange");
        String chunked = Integer.toHexString(10) + "\r\n" + body.substring(0, 10) + "\r\n"
                + Integer.toHexString(body.length() - 10) + ";ext=1\r\n" + body.substring(10) + "\r\n0\r\n";
        String path = "/tencent/callback?" + signedQuery("State.StateChange");
        try (RawHttp http = new RawHttp(router.port())) {
            // one write: a chunked request, one with a length, one chunked with a trailer; each head follows a body
            http.send("POST " + path + " HTTP/1.1\r\nHost: r\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
                    + "\r\n" + post(path, "", body)
                    + "POST " + path + " HTTP/1.1\r\nHost: r\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
                    + "X-Trailer: 1\r\n\r\n");

            assertThat(List.of(http.read(), http.read(), http.read())).extracting(RawHttp.Answer::status)
                    .containsExactly(200, 200, 200);
        }
    }

    @Test
    void aFloodOfRefusalsIsLoggedAtABoundedRateAndCountedInFull() throws Exception {
        Counter counted = Metrics.globalRegistry.counter(RouterMeters.CALLBACKS, "app", "unknown",
                "command", "Alert.RequestOverLimit",
                "outcome", "unknown_sdkappid");
        double before = counted.count();
        int linesBefore = logs.lines().size();

        try (RawHttp http = new RawHttp(router.port())) {
            for (int i = 0; i < 1000; i++) {
                assertThat(http.send(post("/tencent/callback?SdkAppid=1400999999&CallbackCommand=Alert.RequestOverLimit",
                        "", ALARM)).read().status()).isEqualTo(403);
            }
        }

        List<String> logged = logs.lines().subList(linesBefore, logs.lines().size()).stream()
                .filter(line -> line.contains("unknown_sdkappid")).toList();
        assertThat(logged.size()).as("lines logged for 1000 refusals").isBetween(1, 20);
        assertThat(counted.count() - before).isEqualTo(1000);
    }

    @Test
    void answersCarryNoInternalHeader() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            List<RawHttp.Answer> answers = List.of(
                    http.send(post("/tencent/callback?" + signedQuery("Alert.RequestOverLimit"), "", ALARM)).read(),
                    http.send(post("/tencent/callback?" + signedQuery("State.StateChange"), "",
                            Samples.body("State.StateChange"))).read(),
                    http.send(post("/tencent/callback?SdkAppid=1400999999&CallbackCommand=X", "", "{}")).read());
            assertThat(answers).extracting(RawHttp.Answer::status).containsExactly(200, 200, 403);
            for (RawHttp.Answer answer : answers) {
                assertThat(answer.headers().keySet()).as("headers of HTTP %d", answer.status())
                        .allMatch(name -> List.of("content-type", "content-length").contains(name));
            }
        }
    }

    @Test
    void anUnauthenticatedCallerIsAnsweredBeforeItsBodyIsRead() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            // a 100 MB body announced, not one byte of it sent: the answer comes from the query alone
            http.send("POST /tencent/callback?CallbackCommand=Alert.RequestOverLimit HTTP/1.1\r\nHost: r\r\n"
                    + "Content-Length: 100000000\r\n\r\n");

            assertFail(http.read(), 403, 40301, "SdkAppid query parameter is missing");
            assertThat(http.closedByServer(Duration.ofSeconds(1))).as("closed rather than read 100 MB").isTrue();
        }
    }

    @Test
    void bodiesInFlightAreBoundedAsAWhole() throws Exception {
        String head = "POST /tencent/callback?" + signedQuery("State.StateChange") + " HTTP/1.1\r\nHost: r\r\n";
        List<RawHttp> holding = new ArrayList<>();
        try {
            // two callers each announce 30 000 bytes and send 100: 60 000 of the 65 536 bytes are taken
            for (int i = 0; i < 2; i++) {
                holding.add(new RawHttp(router.port()).send(head + "Content-Length: 30000\r\n\r\n{\"a\":\""
                        + "x".repeat(94)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> Metrics.globalRegistry
                    .find("chat.http.buffered.bytes").gauge().value() == 60_000);
            try (RawHttp third = new RawHttp(router.port())) {
                assertFail(third.send(head + "Content-Length: 10000\r\n\r\n").read(), 503, 50302,
                        "too many callback bodies at once");
            }
        } finally {
            for (RawHttp caller : holding) {
                caller.close();
            }
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (RawHttp again = new RawHttp(router.port())) {
                assertThat(again.send(post("/tencent/callback?" + signedQuery("State.StateChange"), "",
                        Samples.body("State.StateChange"))).read().status()).isEqualTo(200);
            }
        });
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIsAnswered408AndClosed() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            http.send("POST /tencent/callback?" + signedQuery("State.StateChange") + " HTTP/1.1\r\nHost: r\r\n"
                    + "Content-Length: 500\r\n\r\n{\"Info\":");
            long started = System.nanoTime();

            assertFail(http.read(), 408, 40801, "did not arrive within 1000 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(http.closedByServer(Duration.ofSeconds(1))).isTrue();
        }
    }

    @Test
    void aHeadSentAByteAtATimeIsClosedAfterTheHeaderTimeout() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            long started = System.nanoTime();
            boolean closed = false;
            String head = "POST /tencent/callback?" + signedQuery("State.StateChange") + " HTTP/1.1\r\nX-Slow: ";
            for (int i = 0; i < 40 && !closed; i++) {
                try {
                    http.send(String.valueOf(head.charAt(i % head.length())));
                    Thread.sleep(100);
                } catch (java.io.IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed || http.closedByServer(Duration.ofMillis(100))).as("closed while still sending").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void connectionsAreBounded() throws Exception {
        List<RawHttp> open = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                open.add(new RawHttp(router.port()));
            }
            // well within the 1 s header timeout, after which every one of them would be closed
            List<RawHttp> closed = new ArrayList<>();
            await().atMost(Duration.ofMillis(800)).until(() -> {
                open.stream().filter(connection -> !closed.contains(connection))
                        .filter(connection -> connection.closedByServer(Duration.ofMillis(5))).forEach(closed::add);
                return closed.size() >= 10;
            });
            assertThat(closed).as("connections over the 30 allowed, closed at once").hasSizeBetween(10, 15);
        } finally {
            for (RawHttp connection : open) {
                connection.close();
            }
            // the next test's connection is not to meet these in the server's count
            await().atMost(Duration.ofSeconds(5)).until(() -> Metrics.globalRegistry
                    .find("chat.http.connections.open").gauge().value() == 0);
        }
    }
}
