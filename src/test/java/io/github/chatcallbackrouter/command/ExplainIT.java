package io.github.chatcallbackrouter.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.ShippedRoutes;
import io.github.chatcallbackrouter.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar chat-callback-router.jar explain} in an operator's directory: the text for a reader, the same
 * as JSON for a script, a body from standard input, and the exit code saying whether anything would be delivered.
 */
class ExplainIT {

    private static final String SECRET_WEBHOOK = "https://hooks.slack.com/services/T000/B000/never-printed";

    @TempDir
    Path directory;

    @BeforeEach
    void anOperatorsDirectory() throws Exception {
        Files.copy(Path.of("application.properties"), directory.resolve("application.properties"));
        ShippedRoutes.copyInto(directory);
    }

    @Test
    void anAlarmIsShownAsSlackWouldShowItAndWithTheAlertFileLine() throws Exception {
        RouterProcess.Finished explained = explain("", "--command", "Alert.RequestOverLimit");

        assertThat(explained.exitCode()).isZero();
        assertThat(explained.stdout())
                .contains("Chat would get: HTTP 200 {\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}")
                .contains("Routed by routes/rules.camel.yaml: rule 1 (alarms)").contains("simple: ${header.ChatIsAlert}")
                .contains("Severity: critical")
                .contains("1. slack -> https://hooks.slack.com/services/T000/…")
                .contains("As Slack shows it:").contains("| Observed: 510 QPS")
                .contains("2. alert-file -> data/alerts/alerts-").contains("\"apiName\"")
                .contains("Nothing was sent, written or journaled.")
                .doesNotContain("never-printed");
        assertThat(directory.resolve("data")).doesNotExist();
    }

    @Test
    void jsonFromStandardInputAndExitOneWhenNothingWouldBeDelivered() throws Exception {
        RouterProcess.Finished explained = explain(
                "{\"CallbackCommand\":\"State.StateChange\",\"Info\":{\"To_Account\":\"a\",\"Action\":\"Login\"}}",
                "--command", "State.StateChange", "--body", "-", "--json");

        assertThat(explained.exitCode()).isEqualTo(1);
        JsonNode json = Json.MAPPER.readTree(explained.stdout());
        assertThat(json.at("/answer/ActionStatus").asText()).isEqualTo("OK");
        assertThat(json.at("/rule/condition").asText()).isEqualTo("otherwise");
        assertThat(json.get("places")).isEmpty();
        assertThat(json.get("delivers").asBoolean()).isFalse();
    }

    @Test
    void aMissingCommandIsAUsageMistake() throws Exception {
        RouterProcess.Finished explained = explain("", "--body", "x.json");

        assertThat(explained.exitCode()).isEqualTo(2);
        assertThat(explained.stderr()).contains("Missing required option: '--command=WORD'")
                .contains("Usage: chat-callback-router explain");
    }

    private RouterProcess.Finished explain(String stdin, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "explain";
        System.arraycopy(args, 0, command, 1, args.length);
        return RouterProcess.run(Map.of("SLACK_WEBHOOK_URL", SECRET_WEBHOOK, "ROUTER_DATA_DIR", "data"), directory,
                stdin, command);
    }
}
