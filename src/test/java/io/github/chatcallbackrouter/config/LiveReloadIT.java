package io.github.chatcallbackrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.LogCapture;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.ShippedRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing or adding a route file takes effect without a restart; a broken file is refused and nothing stops. */
class LiveReloadIT {

    /** A rule the operator adds: State.StateChange events are kept, one file each, in data/state-changes. */
    private static final String STATE_RULE = String.join("\n",
            "              - simple: \"${header.ChatCommand} == 'State.StateChange'\"",
            "                steps:",
            "                  - marshal:",
            "                      json:",
            "                        library: Jackson",
            "                  - to: \"file:{{router.data-dir}}/state-changes\"",
            "");

    @TempDir
    Path workDir;
    Path routes;
    Path dataDir;
    RunningRouter router;
    LogCapture logs;

    @BeforeEach
    void copyTheShippedRoutes() throws IOException {
        routes = ShippedRoutes.copyInto(workDir);
        dataDir = workDir.resolve("data");
        logs = new LogCapture();
    }

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
        logs.close();
    }

    private void start(String reload) throws Exception {
        router = RunningRouter.start(dataDir, "", Map.of(
                "camel.main.routes-include-pattern", ShippedRoutes.includePattern(routes),
                "router.reload-routes", reload));
    }

    @Test
    void anEditedRuleTakesEffectWithoutARestart() throws Exception {
        start("true");
        postStateChange();
        assertThat(dataDir.resolve("state-changes")).doesNotExist();

        addStateRule();

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            postStateChange();
            assertThat(stateChangeFiles()).isPositive();
        });
        assertThat(logs.lines()).anyMatch(line -> line.contains("Reloaded " + routes.resolve("rules.camel.yaml")));
    }

    @Test
    void aBrokenFileIsRefusedWithAClearLineAndTheRunningRoutesGoOn() throws Exception {
        start("true");
        addStateRule();
        // this test's file: a line of an earlier test's router is not this reload
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.lines().stream()
                .anyMatch(line -> line.contains("Reloaded " + routes.resolve("rules.camel.yaml"))));

        ShippedRoutes.edit(routes.resolve("rules.camel.yaml"), "- to: direct:alert-file", "- too: direct:alert-file");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(logs.lines()).anyMatch(line ->
                line.contains("ERROR") && line.contains("Refused the change to " + routes.resolve("rules.camel.yaml"))
                        && line.contains("the running routes are unchanged") && line.contains("'too'")));
        long before = stateChangeFiles();
        assertThat(postStateChange()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> stateChangeFiles() == before + 1);
        assertThat(router.context().getRouteController().getRouteStatus("rules")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aRuleChangeThatBreaksARuleTestIsRefusedNamingTheCase() throws Exception {
        start("true");

        // alarms would no longer be posted to Slack, which routes/tests/shipped-rules.yaml expects
        ShippedRoutes.edit(routes.resolve("rules.camel.yaml"), "                        - to: direct:alert-channels\n", "");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(logs.lines()).anyMatch(line ->
                line.contains("ERROR") && line.contains("Refused the change to " + routes.resolve("rules.camel.yaml"))
                        && line.contains("case 'an over-limit alarm at 255% is critical, posted to Slack and written"
                        + " to the alert file': deliveries: expected [alert-file, slack], got [alert-file]")));
        assertThat(logs.lines()).noneMatch(line -> line.contains("Reloaded"));
        assertThat(((ModelCamelContext) router.context()).getRouteDefinition("rules").toString())
                .contains("direct:alert-channels");
    }

    @Test
    void aNewRouteFileStartsItsRoutes() throws Exception {
        start("true");

        Files.writeString(routes.resolve("heartbeat.camel.yaml"), """
                - route:
                    id: heartbeat
                    from:
                      uri: timer:heartbeat
                      parameters:
                        period: 100
                      steps:
                        - setBody:
                            constant: beat
                        - to: "file:{{router.data-dir}}/heartbeat?fileName=beat"
                """);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(dataDir.resolve("heartbeat/beat")).exists());
    }

    @Test
    void aRouteTakenOutOfAFileIsStopped() throws Exception {
        start("true");
        Path file = routes.resolve("extra.camel.yaml");
        Files.writeString(file, timerRoute("first") + timerRoute("second"));
        await().atMost(Duration.ofSeconds(20)).until(() -> router.context().getRoute("second") != null);

        Files.writeString(file, timerRoute("first"));

        // one save can be seen as two changes: the second reload restarts "first" again
        await().atMost(Duration.ofSeconds(20)).until(() -> router.context().getRoute("second") == null
                && router.context().getRouteController().getRouteStatus("first") == ServiceStatus.Started
                && logs.lines().stream().anyMatch(line -> line.contains("Route second was taken out of")));
    }

    private static String timerRoute(String id) {
        return "- route:\n    id: " + id + "\n    from:\n      uri: timer:" + id + "\n      parameters:\n"
                + "        period: 60000\n      steps:\n        - log: " + id + "\n";
    }

    @Test
    void deletingADeliveryFileThatARuleUsesIsRefusedAndAlarmsStillGetThere() throws Exception {
        start("true");

        Files.delete(routes.resolve("alert-file.camel.yaml"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(logs.lines()).anyMatch(line ->
                line.contains("ERROR") && line.contains("Refused the change to " + routes.resolve("alert-file.camel.yaml"))
                        && line.contains("sends to direct:alert-file, which no route consumes")));
        assertThat(router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit")).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(io.github.chatcallbackrouter.AlertFiles.lines(dataDir)).hasSize(1));
    }

    @Test
    void deletingAFileNothingSendsToStopsItsRoutes() throws Exception {
        start("true");
        Path file = routes.resolve("extra.camel.yaml");
        Files.writeString(file, timerRoute("lonely"));
        await().atMost(Duration.ofSeconds(20)).until(() -> router.context().getRoute("lonely") != null);

        Files.delete(file);

        await().atMost(Duration.ofSeconds(20)).until(() -> router.context().getRoute("lonely") == null);
    }

    @Test
    void turnedOffAnEditWaitsForAHangUp() throws Exception {
        start("false");
        addStateRule();
        postStateChange();

        router.context().hasService(LiveReload.class).reloadAll("SIGHUP");

        // a reload names only what changed since the last one: the edit was still waiting for it
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.lines().stream()
                .anyMatch(line -> line.contains("Reloaded " + routes.resolve("rules.camel.yaml"))));
        assertThat(dataDir.resolve("state-changes")).as("the State.StateChange before the hang-up").doesNotExist();
        postStateChange();
        await().atMost(Duration.ofSeconds(5)).until(() -> stateChangeFiles() == 1);
    }

    private void addStateRule() throws IOException {
        ShippedRoutes.edit(routes.resolve("rules.camel.yaml"), "            when:\n", "            when:\n" + STATE_RULE);
    }

    private int postStateChange() throws Exception {
        return router.post("State.StateChange", Samples.body("State.StateChange")).statusCode();
    }

    private long stateChangeFiles() throws IOException {
        Path directory = dataDir.resolve("state-changes");
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

}
