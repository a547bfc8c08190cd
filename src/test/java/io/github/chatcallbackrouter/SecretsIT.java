package io.github.chatcallbackrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.chatcallbackrouter.explain.Explainer;
import io.github.chatcallbackrouter.observe.Scrape;
import io.github.chatcallbackrouter.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets stay where they are given. Every log line of the fault paths (refusals carrying the Sign, a query Vert.x could not decode, Slack failing
 * and refusing, Slack unreachable, a dead letter that cannot be written), stack traces included, is searched for
 * the token and the webhook's secret part: neither is there. The backend's Authorization is sent with every call
 * to it and found in no log line, explanation, metric or file, and every file the router writes is 0600 in 0700.
 */
class SecretsIT {

    private static final String SECRET = "wEbHoOkSeCrEt0123";
    private static final String HOOK = "/services/T0TEAM/B0CHAN/" + SECRET;

    @TempDir
    Path dataDir;

    @Test
    void noFaultPathLogsTheTokenOrTheWebhooksSecretPart() throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        // two failures, then a refusal for good: retried, then dead-lettered
        slack.stubFor(post(HOOK).inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("rollup_error")).willSetStateTo("refuse"));
        slack.stubFor(post(HOOK).inScenario("s").whenScenarioStateIs("refuse")
                .willReturn(aResponse().withStatus(404).withBody("channel_not_found")));
        try (LogCapture logs = new LogCapture();
             RunningRouter router = RunningRouter.start(dataDir, slack.baseUrl() + HOOK, Map.of(
                     "alerts.group-window", "0", "slack.min-interval-ms", "50",
                     "slack.retry.initial-delay", "100ms", "slack.retry.max-delay", "200ms",
                     "slack.retry.give-up-after", "2s", "router.recover-interval", "1s"))) {
            router.send(RouterProcess.post(router.url("SdkAppid=" + RunningRouter.SDKAPPID
                    + "&CallbackCommand=State.StateChange&Sign=" + RunningRouter.TOKEN + "&RequestTime=1"), "{}"));
            try (RawHttp raw = new RawHttp(router.port())) {
                raw.send("POST /tencent/callback?Sign=" + RunningRouter.TOKEN + "&x=%zz HTTP/1.1\r\nHost: r\r\n"
                        + "Content-Length: 2\r\n\r\n{}").read();
            }

            // Slack fails, then refuses: a dead letter, logged with Slack's reason
            router.post("Alert.RequestOverLimit", alarm("sendmsg"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(logs.lines()).anyMatch(line -> line.contains("dead-lettered")));

            // the dead letter cannot be written: logged, kept in the outbox, tried again
            Path deadLetters = dataDir.resolve("dead-letter");
            Files.move(deadLetters, dataDir.resolve("dead-letter-away"));
            Files.writeString(deadLetters, "not a directory");
            router.post("Alert.RequestOverLimit", alarm("batchsendmsg"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(logs.lines()).anyMatch(line -> line.contains("could not be dead-lettered")));

            assertThat(slack.countRequestsMatching(postRequestedFor(urlEqualTo(HOOK)).build()).getCount())
                    .isGreaterThanOrEqualTo(3);
            assertNeitherSecretIn(logs.events());
        } finally {
            slack.stop();
        }
    }

    @Test
    void anUnreachableSlackIsLoggedWithoutTheSecretPart() throws Exception {
        String unreachable = "http://127.0.0.1:" + AvailablePortFinder.getNextAvailable() + HOOK;
        try (LogCapture logs = new LogCapture();
             RunningRouter router = RunningRouter.start(dataDir, unreachable, Map.of(
                     "alerts.group-window", "0", "slack.retry.initial-delay", "100ms",
                     "slack.retry.max-delay", "200ms", "slack.retry.give-up-after", "1s"))) {
            router.post("Alert.RequestOverLimit", alarm("sendmsg"));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(logs.lines()).anyMatch(line -> line.contains("dead-lettered")));
            assertThat(logs.lines()).anyMatch(line -> line.contains("channel slack (slack) is on: posts to"));
            assertNeitherSecretIn(logs.events());
        }
    }

    @Test
    void theBackendsAuthorizationGoesWithEveryCallAndIsNowhereElseAndEveryFileIsPrivate() throws Exception {
        String authorization = "Bearer bAcKeNdSeCrEt4567";
        WireMockServer backend = new WireMockServer(options().dynamicPort());
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        backend.start();
        slack.start();
        backend.stubFor(post(urlPathEqualTo("/im")).withHeader("Authorization", equalTo(authorization))
                .willReturn(aResponse().withStatus(200).withBody("{\"ActionStatus\":\"OK\",\"ErrorCode\":0}")));
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(404).withBody("channel_not_found")));
        Map<String, String> settings = Map.of("upstream.url", backend.baseUrl() + "/im",
                "upstream.authorization", authorization, "alerts.group-window", "0",
                "slack.retry.give-up-after", "1s");
        try (LogCapture logs = new LogCapture();
             RunningRouter router = RunningRouter.start(dataDir, slack.baseUrl() + HOOK, settings)) {
            assertThat(router.post("C2C.CallbackBeforeSendMsg", Samples.body("C2C.CallbackBeforeSendMsg")).body())
                    .contains("\"ErrorCode\":0");
            router.post("Group.CallbackAfterNewMemberJoin", Samples.body("Group.CallbackAfterNewMemberJoin"));
            router.post("Alert.RequestOverLimit", alarm("sendmsg"));

            // both kinds of call carry it: a Before-callback asked, an After-callback relayed from the outbox
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backend.findAll(
                    postRequestedFor(urlPathEqualTo("/im")).withHeader("Authorization", equalTo(authorization))))
                    .extracting(request -> request.queryParameter("CallbackCommand").firstValue())
                    .contains("C2C.CallbackBeforeSendMsg", "Group.CallbackAfterNewMemberJoin"));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.list(dataDir.resolve("dead-letter")).count() > 0);

            String metrics = Scrape.of(router).text();
            String explained;
            try (Explainer explainer = new Explainer("file:application.properties",
                    ShippedRoutes.includePattern(Path.of("routes").toAbsolutePath()),
                    Map.of("upstream.url", backend.baseUrl() + "/im", "upstream.authorization", authorization,
                            "slack.webhook-url", slack.baseUrl() + HOOK, "router.data-dir", dataDir.toString(),
                            "tencent.callback-token", RunningRouter.TOKEN), true)) {
                explained = Json.MAPPER.writeValueAsString(explainer.explain(new Explainer.Callback(
                        "C2C.CallbackBeforeSendMsg", null, Samples.body("C2C.CallbackBeforeSendMsg"), Map.of())))
                        + Json.MAPPER.writeValueAsString(explainer.explain(new Explainer.Callback(
                        "Alert.RequestOverLimit", null, alarm("sendmsg"), Map.of())));
            }

            assertThat(explained).contains("upstream").doesNotContain(authorization, SECRET);
            assertThat(metrics).contains("chat_outbox_depth").doesNotContain("bAcKeNdSeCrEt", SECRET);
            assertThat(logs.lines()).noneMatch(line -> line.contains("bAcKeNdSeCrEt"));
            assertNeitherSecretIn(logs.events());
            List<Path> files;
            try (var walk = Files.walk(dataDir)) {
                files = walk.filter(path -> !path.equals(dataDir)).toList();
            }
            assertThat(files).as("outbox, dead letter and alert file were written")
                    .anyMatch(path -> path.toString().contains("outbox"))
                    .anyMatch(path -> path.toString().contains("dead-letter"))
                    .anyMatch(path -> path.toString().contains("alerts-"));
            for (Path path : files) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).as(path.toString())
                        .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
                if (Files.isRegularFile(path)) {
                    assertThat(Files.readString(path)).as(path.toString()).doesNotContain("bAcKeNdSeCrEt");
                }
            }
        } finally {
            backend.stop();
            slack.stop();
        }
    }

    private static String alarm(String command) {
        return "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"ServiceName\":\"openim\",\"Command\":\"" + command
                + "\",\"Request\":510,\"Limit\":200}";
    }

    /** The message, and each exception of its stack trace with every frame, as they would be printed. */
    private static void assertNeitherSecretIn(List<ILoggingEvent> events) {
        List<String> printed = new ArrayList<>();
        for (ILoggingEvent event : events) {
            printed.add(event.getFormattedMessage());
            for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
                printed.add(cause.getClassName() + ": " + cause.getMessage());
                for (StackTraceElementProxy frame : cause.getStackTraceElementProxyArray()) {
                    printed.add(frame.getSTEAsString());
                }
            }
        }
        assertThat(printed).hasSizeGreaterThan(10)
                .noneMatch(text -> text != null && (text.contains(RunningRouter.TOKEN) || text.contains(SECRET)));
    }
}
