package io.github.chatcallbackrouter.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.config.Declarations;
import io.github.chatcallbackrouter.config.Declarations.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's commands: {@code --help} lists them and every setting's variable; each command answers its
 * own {@code --help} and does nothing else; an unknown option or command exits 2 naming it; {@code --version} says
 * which build, Camel and Java.
 */
class HelpIT {

    @TempDir
    Path directory;

    @Test
    void listsTheCommandsAndEveryEnvironmentVariableOfTheSettings() throws Exception {
        RouterProcess.Finished help = run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Commands:").contains("validate").contains("explain").contains("send-test")
                .contains("replay").contains("silence").contains("SLACK_WEBHOOK_URL").contains("(default: empty)");
        List<String> variables = Declarations.all().stream().map(Setting::env).filter(env -> env != null).toList();
        assertThat(variables).hasSizeGreaterThan(15);
        variables.forEach(env -> assertThat(help.stdout()).contains("  " + env + " "));
    }

    @Test
    void everyCommandAnswersItsHelpAndDoesNothingElse() throws Exception {
        Path deadLetter = Files.createDirectories(directory.resolve("data/dead-letter")).resolve("letter.json");
        Files.writeString(deadLetter, "{}");

        for (String command : List.of("run", "validate", "explain", "send-test", "replay", "silence", "silence add",
                "silence list", "silence expire")) {
            String[] args = (command + " --help").split(" ");
            RouterProcess.Finished help = run(args);

            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.stdout()).as(command).startsWith("Usage: chat-callback-router " + command + " ");
            assertThat(help.stdout() + help.stderr()).as(command).doesNotContain("Checked").doesNotContain("Started");
        }
        try (Stream<Path> files = Files.walk(directory.resolve("data"))) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(deadLetter);
        }
    }

    @Test
    void anUnknownOptionOrCommandIsNamedAndExitsWithTwo() throws Exception {
        RouterProcess.Finished option = run("validate", "--bogus");
        RouterProcess.Finished command = run("valdiate");

        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.stderr()).contains("Unknown option: '--bogus'").contains("Usage: chat-callback-router validate");
        assertThat(command.exitCode()).isEqualTo(2);
        assertThat(command.stderr()).contains("'valdiate'").contains("validate");
    }

    @Test
    void versionNamesTheBuildCamelAndJava() throws Exception {
        RouterProcess.Finished version = run("--version");

        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("chat-callback-router 0.1.0").contains("Apache Camel 4.18.0")
                .contains("Java " + Runtime.version().feature());
    }

    private RouterProcess.Finished run(String... args) throws Exception {
        return RouterProcess.run(Map.of("ROUTER_DATA_DIR", "data"), directory, "", args);
    }
}
