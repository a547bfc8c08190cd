package io.github.chatcallbackrouter.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.ShippedRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar chat-callback-router.jar validate} in an operator's directory: exit 0 for the shipped settings
 * and routes; exit 1 naming the file and the problem otherwise; nothing started, no secret printed.
 */
class ValidateIT {

    private static final String TOKEN = "validate-token-never-printed";

    @TempDir
    Path directory;
    @TempDir
    Path logs;

    @BeforeEach
    void copyTheShippedSettingsAndRoutes() throws IOException {
        Files.copy(Path.of("application.properties"), directory.resolve("application.properties"));
        ShippedRoutes.copyInto(directory);
    }

    @Test
    void theShippedSettingsAndRoutesAreValid() throws Exception {
        Result result = validate(Map.of("TENCENT_CALLBACK_TOKEN", TOKEN));

        assertThat(result.exitCode()).isZero();
        // local mode: routes/*.camel.yaml and routes/local/
        assertThat(result.output()).contains("8 route files").contains("6 rule tests")
                .contains("OK: the router would start")
                .as("signed: the unsigned default's warning is not said").doesNotContain("warning");
        // nothing ran: no data directory, no port
        assertThat(directory.resolve("data")).doesNotExist();
        assertThat(result.output()).doesNotContain("listening");
    }

    @Test
    void kafkaModeChecksTheKafkaRoutesToo() throws Exception {
        Result result = validate(Map.of("ROUTER_MODE", "kafka"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("8 route files").contains("routes/kafka/*.camel.yaml");
    }

    @Test
    void anUnknownStepIsRefusedNamingTheFileAndTheStep() throws Exception {
        edit("routes/rules.camel.yaml", "- to: direct:alert-file", "- sendd: direct:alert-file");

        Result result = validate(Map.of());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("routes/rules.camel.yaml: ").contains("sendd");
    }

    @Test
    void anUndeclaredChannelIsRefusedNamingItTheNearestAndTheDeclaredOnes() throws Exception {
        edit("routes/rules.camel.yaml", "- to: direct:alert-channels\n", "- to: channel:oncal\n");
        Files.writeString(directory.resolve("application.properties"),
                "\nslack.channels.oncall.webhook-url = https://hooks.slack.com/services/T0/B0/x\n",
                java.nio.file.StandardOpenOption.APPEND);

        Result result = validate(Map.of());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("routes/rules.camel.yaml: ")
                .contains("channel 'oncal' is not declared (did you mean oncall?): declare it as channels.oncal.type")
                .contains("(declared: oncall, slack)");
    }

    @Test
    void aRuleTestThatNoLongerHoldsIsRefusedNamingTheCase() throws Exception {
        edit("routes/tests/shipped-rules.yaml", "    severity: warning", "    severity: critical");

        Result result = validate(Map.of());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("routes/tests/shipped-rules.yaml: case 'an over-limit alarm at 85% is a"
                + " warning, routed the same way': severity: expected critical, got warning");
    }

    @Test
    void aMissingModeDirectoryIsNamed() throws Exception {
        Files.delete(directory.resolve("routes/local/local.camel.yaml"));
        Files.delete(directory.resolve("routes/local"));

        Result result = validate(Map.of());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("file:routes/local/*.camel.yaml: cannot list the route files")
                .contains("NoSuchFileException: routes/local");
    }

    @Test
    void anUnknownModeIsNamed() throws Exception {
        Result result = validate(Map.of("ROUTER_MODE", "kafak"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("router.mode = 'kafak' (from env ROUTER_MODE) is not one of local, kafka");
    }

    @Test
    void badYamlIsRefusedWithItsLine() throws Exception {
        Files.writeString(directory.resolve("routes/extra.camel.yaml"), "- route:\n    from: [\n");

        Result result = validate(Map.of());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("routes/extra.camel.yaml: not valid YAML").contains("line");
    }

    @Test
    void anEndpointNoComponentServesIsRefusedNamingTheRoute() throws Exception {
        edit("routes/rules.camel.yaml", "- to: direct:alert-file", "- to: nosuch:alert-file");

        Result result = validate(Map.of());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("routes/rules.camel.yaml: route rules: No endpoint could be found for: "
                + "nosuch://alert-file");
    }

    @Test
    void aRuleSendingWhereNoRouteListensIsRefused() throws Exception {
        edit("routes/rules.camel.yaml", "- to: direct:alert-file", "- to: direct:alert-fil");

        Result result = validate(Map.of());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("routes/rules.camel.yaml: route rules sends to direct:alert-fil, which "
                + "no route consumes");
    }

    @Test
    void aDeletedDeliveryFileIsRefusedNamingWhatSendsToIt() throws Exception {
        Files.delete(directory.resolve("routes/alert-file.camel.yaml"));

        Result result = validate(Map.of());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("route rules sends to direct:alert-file, which no route consumes");
    }

    @Test
    void theUnsignedDefaultIsAWarningNotAProblem() throws Exception {
        // signed, there is no warning either: theShippedSettingsAndRoutesAreValid
        Result open = validate(Map.of());
        Result loopback = validate(Map.of("CAMEL_SERVER_HOST", "127.0.0.1"));

        assertThat(open.exitCode()).isZero();
        assertThat(open.output()).contains("warning: application.properties: tencent.callback-token is empty, so the"
                + " signature check is off");
        assertThat(loopback.output()).doesNotContain("warning");
    }

    @Test
    void malformedSettingsAreEachNamedWithWhereTheyCameFrom() throws Exception {
        edit("application.properties", "{{env:TENCENT_SDKAPPID:1400000000}}", "{{env:TENCENT_SDKAPPID:14000x}}");
        Result result = validate(Map.of(
                "TENCENT_CALLBACK_TOKEN", TOKEN,
                "SLACK_WEBHOOK_URL", "hooks.slack.com/services/T0/B0/secret-path",
                "SLACK_MIN_INTERVAL_MS", "0",
                "ALERTS_GROUP_WINDOW", "5 minutes",
                "CAMEL_MANAGEMENT_PORT", "80800"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output())
                .contains("application.properties: tencent.sdkappid = '14000x' is not whole numbers, comma separated")
                .contains("application.properties: slack.webhook-url (secret, not shown) (from env SLACK_WEBHOOK_URL)"
                        + " is not an http(s) URL, or empty")
                .contains("slack.min-interval-ms = '0' (from env SLACK_MIN_INTERVAL_MS) is not a whole number")
                .contains("alerts.group-window = '5 minutes' (from env ALERTS_GROUP_WINDOW) is not a duration")
                .contains("camel.management.port = '80800' (from env CAMEL_MANAGEMENT_PORT) is not a port number")
                .contains("5 problems: fix them")
                .doesNotContain("secret-path").doesNotContain(TOKEN);
    }

    @Test
    void eachOperatorMistakeIsOneNamedProblem() throws Exception {
        Files.writeString(directory.resolve("application.properties"),
                "\nslack.min-interval = 5\ncamel.main.shutdown-timout = 5\n", java.nio.file.StandardOpenOption.APPEND);

        Result result = validate(Map.of("ALERTS_GROUP_WINDOW", "five", "SLACK_RETRY_MAX_DELAY", "5",
                "ROUTER_RELOAD_ROUTES", "yes", "HTTP_CONNECT_TIMEOUT_MS", "abc", "ROUTER_QUEUE_SIZE", "-5"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output().lines().filter(line -> line.startsWith("  application.properties: ")))
                .containsExactlyInAnyOrder(
                        "  application.properties: router.reload-routes = 'yes' (from env ROUTER_RELOAD_ROUTES) is not"
                                + " one of true, false",
                        "  application.properties: slack.retry.max-delay = '5' (from env SLACK_RETRY_MAX_DELAY) is not"
                                + " a duration above 0 with its unit, such as 500ms, 30s, 5m or 1h",
                        "  application.properties: alerts.group-window = 'five' (from env ALERTS_GROUP_WINDOW) is not"
                                + " a duration with its unit such as 30s or 5m, or 0",
                        "  application.properties: camel.component.http.connect-timeout = 'abc' (from env"
                                + " HTTP_CONNECT_TIMEOUT_MS) is not a whole number of milliseconds, 1 or more",
                        "  application.properties: camel.component.seda.queue-size = '-5' (from env ROUTER_QUEUE_SIZE)"
                                + " is not a whole number, 1 or more",
                        "  application.properties: slack.min-interval is not a setting of the router (did you mean"
                                + " slack.min-interval-ms?)",
                        "  application.properties: camel.main.shutdown-timout is not an option Camel knows, so it would"
                                + " be ignored or stop the start (did you mean camel.main.shutdown-timeout?)");
    }

    private void edit(String file, String from, String to) throws IOException {
        ShippedRoutes.edit(directory.resolve(file), from, to);
    }

    @Test
    void kameletAndPipeFilesAreCheckedAgainstTheirSchemas() throws Exception {
        Path kamelet = directory.resolve("wecom-robot-sink.kamelet.yaml");
        Files.copy(Path.of("kamelets/wecom-robot-sink.kamelet.yaml"), kamelet);
        Path pipe = directory.resolve("alarm-to-wecom.pipe.yaml");
        Files.writeString(pipe, Files.readString(Path.of("examples/pipes/alarm-to-wecom.pipe.yaml"))
                .replace("      url:", "      ur1:"));

        RouterProcess command = RouterProcess.start(Map.of(), logs.resolve("validate-files.log"), directory,
                "validate", kamelet.getFileName().toString(), pipe.getFileName().toString());

        assertThat(command.exitCode(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(command.output()).contains("Checked 2 files")
                .contains("alarm-to-wecom.pipe.yaml: spec.sink sets 'ur1', which the Kamelet wecom-robot-sink does"
                        + " not declare (did you mean url?)")
                .doesNotContain("wecom-robot-sink.kamelet.yaml:");
    }

    private record Result(int exitCode, String output) {
    }

    private Result validate(Map<String, String> environment) throws Exception {
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("ROUTER_DATA_DIR", "data");
        RouterProcess command = RouterProcess.start(env, logs.resolve("validate.log"), directory, "validate");
        int exitCode = command.exitCode(Duration.ofSeconds(60));
        return new Result(exitCode, command.output());
    }
}
