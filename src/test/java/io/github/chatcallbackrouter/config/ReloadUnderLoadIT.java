package io.github.chatcallbackrouter.config;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.Load;
import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.ShippedRoutes;
import io.github.chatcallbackrouter.Timing;
import io.github.chatcallbackrouter.observe.Scrape;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloads as an operator makes them on a router under load: SIGHUPs, one and then a burst, while After-callbacks
 * are relayed to the app's backend, answer every callback within Chat's 2 s, each reload said once; the README's
 * own rule change (a Slack channel declared in application.properties and a rule that sends to it) is applied with
 * the settings it needs, or refused in one line; a broken change leaves every route running.
 */
@Timing
class ReloadUnderLoadIT {

    private static final Pattern FOLDED = Pattern.compile("and (\\d+) more requests");

    @TempDir
    Path directory;
    private Path routes;
    private final WireMockServer backend = new WireMockServer(options().dynamicPort().containerThreads(100));
    private final WireMockServer slack = new WireMockServer(options().dynamicPort());
    private final int port = AvailablePortFinder.getNextAvailable();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void aCheckoutOfItsOwn() throws Exception {
        Files.copy(Path.of("application.properties"), directory.resolve("application.properties"));
        routes = ShippedRoutes.copyInto(directory);
        backend.start();
        backend.stubFor(post(urlPathEqualTo("/im")).willReturn(aResponse().withStatus(200)
                .withBody("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}")));
        slack.start();
        slack.stubFor(post(urlPathEqualTo("/default")).willReturn(aResponse().withStatus(200).withBody("ok")));
        slack.stubFor(post(urlPathEqualTo("/oncall")).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @AfterEach
    void stopFakes() {
        backend.stop();
        slack.stop();
    }

    private RouterProcess router(Map<String, String> extra) throws Exception {
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(port), "CAMEL_SERVER_HOST", "127.0.0.1",
                "ROUTER_RELOAD_ROUTES", "false", "ROUTER_DATA_DIR", "data",
                "UPSTREAM_CALLBACK_URL", backend.baseUrl() + "/im", "UPSTREAM_COMMANDS", "State.StateChange",
                "SLACK_WEBHOOK_URL", slack.baseUrl() + "/default", "ALERTS_GROUP_WINDOW", "0"));
        environment.putAll(extra);
        RouterProcess router = RouterProcess.start(environment, directory.resolve("router.log"), directory);
        router.firstAnswer(RouterProcess.post(url("State.StateChange"), Samples.body("State.StateChange")),
                Duration.ofSeconds(30));
        return router;
    }

    private String url(String command) {
        return "http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=1400000000&contenttype=json&CallbackCommand="
                + command;
    }

    @Test
    void sighupsUnderLoadAnswerEveryCallbackInTimeAndEachReloadIsSaidOnce() throws Exception {
        try (RouterProcess router = router(Map.of())) {
            // eight seconds at 300 callbacks a second: a real change and one SIGHUP at 2.5 s, then about 20 more
            // SIGHUPs between 4 and 6 s
            AtomicInteger signals = new AtomicInteger();
            List<Long> took = Load.atRate(300 * 8, 300, 100, i -> {
                if (i == 750) {
                    Path rules = routes.resolve("rules.camel.yaml");
                    Files.writeString(rules, Files.readString(rules) + "# reviewed under load\n");
                    hangUp(router);
                    signals.incrementAndGet();
                }
                if (i >= 1200 && i < 1800 && i % 30 == 0) {
                    hangUp(router);
                    signals.incrementAndGet();
                }
                long sent = System.nanoTime();
                return http.sendAsync(RouterProcess.post(url("State.StateChange"), Samples.body("State.StateChange")),
                        HttpResponse.BodyHandlers.ofString()).thenApply(answer -> {
                            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                            return (System.nanoTime() - sent) / 1_000_000;
                        });
            });
            long slowest = took.stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.printf("ReloadUnderLoadIT: %d callbacks, %d SIGHUPs, slowest answer %d ms%n", took.size(),
                    signals.get(), slowest);
            assertThat(signals.get()).isGreaterThan(15);
            assertThat(slowest).as("the slowest answer (ms)").isLessThan(2000);
            assertThat(http.send(RouterProcess.post(url("State.StateChange"), Samples.body("State.StateChange")),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            // every signal is in exactly one reload's line, and the edit in exactly one
            int sent = signals.get();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(accounted(router)).isEqualTo(sent));
            List<String> reloads = reloadLines(router);
            assertThat(reloads).filteredOn(line -> line.contains("Reloaded") && line.contains("rules.camel.yaml"))
                    .hasSize(1);
            assertThat(reloads).allMatch(line -> line.contains("Reloaded") || line.contains("nothing changed"));
            assertThat(Scrape.at(router.managementUrl("/observe/metrics")).value("chat_routes_stopped")).isZero();
        }
    }

    @Test
    void theReadmesChannelEditIsAppliedWithItsSettingsOrRefusedInOneLineAndABrokenOneStopsNothing()
            throws Exception {
        try (RouterProcess router = router(Map.of())) {
            // the README's first rule change: a channel declared in application.properties, a rule that sends there
            Files.writeString(directory.resolve("application.properties"), Files.readString(
                    directory.resolve("application.properties")) + "\nslack.channels.oncall.webhook-url = "
                    + slack.baseUrl() + "/oncall\nslack.channels.oncall.mention = <!subteam^S0123ABCD>\n");
            Path rules = routes.resolve("rules.camel.yaml");
            ShippedRoutes.edit(rules, "            when:\n", String.join("\n",
                    "            when:",
                    "              - id: critical-to-oncall",
                    "                simple: \"${header.ChatIsAlert} && ${header.AlertSeverity} == 'critical'\"",
                    "                steps:",
                    "                  - multicast:",
                    "                      steps:",
                    "                        - to: slack-channel:oncall",
                    "                        - to: direct:alert-file",
                    ""));
            hangUp(router);
            // the shipped rule test still expects critical alarms in the default channel: refused, in one line
            await().atMost(Duration.ofSeconds(30)).until(() -> reloadLines(router).size() == 1);
            assertThat(reloadLines(router).get(0)).contains("Refused the change to").contains("rules.camel.yaml")
                    .contains("shipped-rules.yaml");
            assertThat(alarm()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> posts("/default") == 1);

            // the rule test changed with the rule, as the README says: applied, channel and all
            Path tests = routes.resolve("tests/shipped-rules.yaml");
            ShippedRoutes.edit(tests,
                    "    rule: alarms\n    severity: critical\n    deliveries: [slack, alert-file]",
                    "    rule: critical-to-oncall\n    severity: critical\n    deliveries: [slack:oncall, alert-file]");
            hangUp(router);
            await().atMost(Duration.ofSeconds(30)).until(() -> reloadLines(router).size() == 2);
            assertThat(reloadLines(router).get(1)).contains("Reloaded").contains("rules.camel.yaml")
                    .contains("application.properties (slack.channels.oncall.mention, slack.channels.oncall.webhook-url)");
            assertThat(alarm()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> posts("/oncall") == 1);

            // a typo: refused, every route still runs
            ShippedRoutes.edit(rules, "- to: direct:alert-file", "- too: direct:alert-file");
            hangUp(router);
            await().atMost(Duration.ofSeconds(30)).until(() -> reloadLines(router).size() == 3);
            assertThat(reloadLines(router).get(2)).contains("Refused the change to").contains("'too'");
            assertThat(Scrape.at(router.managementUrl("/observe/metrics")).value("chat_routes_stopped")).isZero();
            assertThat(alarm()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> posts("/oncall") == 2);
            assertThat(router.output()).doesNotContain("Exception");
        }
    }

    private int alarm() throws Exception {
        return http.send(RouterProcess.post(url("Alert.RequestOverLimit"), Samples.body("Alert.RequestOverLimit")),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private int posts(String path) {
        return slack.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo(path)))
                .size();
    }

    /** The lines that say how a reload ended. */
    private static List<String> reloadLines(RouterProcess router) throws Exception {
        return router.output().lines().filter(line -> line.contains("Reloaded ") || line.contains("Refused the change")
                || line.contains("Reload (")).toList();
    }

    /** How many reload requests the reload lines account for: each line one, plus those it folded in. */
    private static int accounted(RouterProcess router) throws Exception {
        int requests = 0;
        for (String line : reloadLines(router)) {
            Matcher folded = FOLDED.matcher(line);
            requests += 1 + (folded.find() ? Integer.parseInt(folded.group(1)) : 0);
        }
        return requests;
    }

    private static void hangUp(RouterProcess router) throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", String.valueOf(router.pid())).start().waitFor()).isZero();
    }
}
