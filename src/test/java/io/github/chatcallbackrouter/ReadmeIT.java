package io.github.chatcallbackrouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Your first rule change", done as a reader does it, from the README's own blocks: its settings added
 * to the shipped application.properties, its rule put first in routes/rules.camel.yaml, its rule test in place of
 * the shipped first case; then {@code validate} passes and {@code explain} prints what the README shows. A README
 * that drifts from the program fails here.
 */
class ReadmeIT {

    private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);
    private static final String ONCALL_WEBHOOK = "https://hooks.slack.com/services/T000/B000/readme";

    @TempDir
    Path directory;

    @Test
    void theFirstRuleChangeValidatesAndExplainsAsTheReadmeShows() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Your first rule change"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        copyTheShippedFiles();

        Files.writeString(directory.resolve("application.properties"), Files.readString(
                directory.resolve("application.properties")) + "\n" + block(section, "properties", "channels.oncall"));
        Path rules = directory.resolve("routes/rules.camel.yaml");
        String rule = block(section, "yaml", "critical-to-oncall\n");
        assertThat(rule).startsWith("            when:\n");
        Files.writeString(rules, Files.readString(rules).replaceFirst("            when:\n",
                Matcher.quoteReplacement(rule)));
        Path ruleTests = directory.resolve("routes/tests/shipped-rules.yaml");
        String firstCase = Files.readString(ruleTests).split("\n\n")[1] + "\n";
        assertThat(section).as("the README says which case the change replaces")
                .contains("replace the first case of `routes/tests/shipped-rules.yaml`");
        Files.writeString(ruleTests, Files.readString(ruleTests).replace(firstCase,
                block(section, "yaml", "- name: ")));

        Map<String, String> environment = Map.of("ROUTER_DATA_DIR", "data", "SLACK_WEBHOOK_ONCALL", ONCALL_WEBHOOK);
        RouterProcess.Finished validate = RouterProcess.run(environment, directory, "", "validate");
        assertThat(validate.exitCode()).as(validate.stdout()).isZero();

        String command = block(section, "sh", "explain ");
        List<String> shown = command.lines().filter(line -> line.startsWith("# ")).map(line -> line.substring(2))
                .toList();
        String[] args = command.lines().filter(line -> line.startsWith("java -jar")).findFirst().orElseThrow()
                .replaceFirst("^java -jar target/chat-callback-router.jar ", "").split(" ");
        RouterProcess.Finished explain = RouterProcess.run(environment, directory, "", args);
        assertThat(explain.exitCode()).as(explain.stdout()).isZero();
        for (String line : shown) {
            assertThat(explain.stdout()).as("the README's line: " + line).containsPattern(asPattern(line));
        }
    }

    /** The README's code block of this language that contains the text. */
    private static String block(String text, String language, String containing) {
        Matcher blocks = BLOCK.matcher(text);
        List<String> found = new ArrayList<>();
        while (blocks.find()) {
            if (blocks.group(1).equals(language) && blocks.group(2).contains(containing)) {
                found.add(blocks.group(2));
            }
        }
        assertThat(found).as("README blocks of " + language + " with " + containing).hasSize(1);
        return found.get(0);
    }

    /** A line as the README shows it, where "…" and "..." stand for what it leaves out. */
    private static Pattern asPattern(String line) {
        StringBuilder pattern = new StringBuilder();
        for (String part : line.split("…|\\.\\.\\.", -1)) {
            if (!pattern.isEmpty()) {
                pattern.append(".*");
            }
            pattern.append(Pattern.quote(part));
        }
        return Pattern.compile(pattern.toString());
    }

    private void copyTheShippedFiles() throws IOException {
        Files.copy(Path.of("application.properties"), directory.resolve("application.properties"));
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, directory.resolve(file.toString()));
            }
        }
    }
}
