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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands the README and docs/rules.md show, run as a reader runs them, their output matched against the lines
 * the text shows: the README's "Your first rule change" from its own blocks (its settings added to the shipped
 * application.properties, its rule put first in routes/rules.camel.yaml, its rule test in place of the shipped first
 * case; then {@code validate} passes and {@code explain} prints what the README shows), and the rules guide's
 * {@code explain} on the shipped files. Text that drifts from the program fails here.
 */
class DocumentedCommandsIT {

    private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);
    private static final String ONCALL_WEBHOOK = "https://hooks.slack.com/services/T000/B000/readme";
    /** How the docs run a command: with the shipped JVM options, from the checkout. */
    private static final String JAR = "java @jvm.options -jar target/chat-callback-router.jar ";

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
        ShippedRoutes.edit(ruleTests, firstCase, block(section, "yaml", "- name: "));

        Map<String, String> environment = Map.of("ROUTER_DATA_DIR", "data", "SLACK_WEBHOOK_ONCALL", ONCALL_WEBHOOK);
        RouterProcess.Finished validate = RouterProcess.run(environment, directory, "", "validate");
        assertThat(validate.exitCode()).as(validate.stdout()).isZero();

        assertPrintsWhatItShows(block(section, "sh", "explain "), environment);
    }

    @Test
    void theRulesGuidesExplainPrintsWhatItShows() throws Exception {
        copyTheShippedFiles();

        assertPrintsWhatItShows(block(Files.readString(Path.of("docs/rules.md")), "sh", "explain --command"),
                Map.of("ROUTER_DATA_DIR", "data", "SLACK_WEBHOOK_URL", ONCALL_WEBHOOK));
    }

    /** Runs the block's command in the directory and finds each of its "# " lines in what it printed. */
    private void assertPrintsWhatItShows(String block, Map<String, String> environment) throws Exception {
        List<String> shown = block.lines().filter(line -> line.startsWith("# ")).map(line -> line.substring(2))
                .toList();
        String[] args = block.lines().filter(line -> line.startsWith(JAR)).findFirst().orElseThrow()
                .substring(JAR.length()).split(" ");
        RouterProcess.Finished run = RouterProcess.run(environment, directory, "", args);
        assertThat(run.exitCode()).as(run.stdout()).isZero();
        assertThat(shown).isNotEmpty();
        for (String line : shown) {
            assertThat(run.stdout()).as("the documented line: " + line).containsPattern(asPattern(line));
        }
    }

    /** The one code block of this language in the text that contains the given text. */
    private static String block(String text, String language, String containing) {
        Matcher blocks = BLOCK.matcher(text);
        List<String> found = new ArrayList<>();
        while (blocks.find()) {
            if (blocks.group(1).equals(language) && blocks.group(2).contains(containing)) {
                found.add(blocks.group(2));
            }
        }
        assertThat(found).as("blocks of " + language + " with " + containing).hasSize(1);
        return found.get(0);
    }

    /** A line as the README shows it, where "…" and "..." stand for what it leaves out. */
    private static Pattern asPattern(String line) {
        StringBuilder pattern = new StringBuilder();
        for (String part : line.split("\\s*(?:…|\\.\\.\\.)", -1)) {
            if (!pattern.isEmpty()) {
                pattern.append(".*");
            }
            pattern.append(Pattern.quote(part));
        }
        return Pattern.compile(pattern.toString());
    }

    private void copyTheShippedFiles() throws IOException {
        Files.copy(Path.of("application.properties"), directory.resolve("application.properties"));
        ShippedRoutes.copyInto(directory);
    }
}
