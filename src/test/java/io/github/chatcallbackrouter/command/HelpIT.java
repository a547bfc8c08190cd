package io.github.chatcallbackrouter.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.RouterProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --help} lists every command and every setting's environment variable; an unknown command says so. */
class HelpIT {

    @TempDir
    Path logs;

    @Test
    void listsTheCommandsAndEveryEnvironmentVariableOfTheSettings() throws Exception {
        RouterProcess help = RouterProcess.start(Map.of(), logs.resolve("help.log"), "--help");

        assertThat(help.exitCode(Duration.ofSeconds(30))).isZero();
        String output = help.output();
        assertThat(output).contains("validate").contains("send-test --url URL").contains("replay [--dry-run]")
                .contains("--help");
        Pattern env = Pattern.compile("\\{\\{env:([A-Z0-9_]+):");
        int variables = 0;
        for (String setting : Files.readAllLines(Path.of("application.properties"))) {
            Matcher variable = env.matcher(setting);
            if (!setting.startsWith("#") && variable.find()) {
                assertThat(output).contains("  " + variable.group(1) + " ");
                variables++;
            }
        }
        assertThat(variables).isGreaterThan(15);
        assertThat(output).contains("SLACK_WEBHOOK_URL").contains("(default: empty)");
    }

    @Test
    void anUnknownCommandIsNamedAndExitsWithTwo() throws Exception {
        RouterProcess typo = RouterProcess.start(Map.of(), logs.resolve("typo.log"), "valdiate");

        assertThat(typo.exitCode(Duration.ofSeconds(30))).isEqualTo(2);
        assertThat(typo.output()).contains("Unknown command: valdiate").contains("Commands:");
    }
}
