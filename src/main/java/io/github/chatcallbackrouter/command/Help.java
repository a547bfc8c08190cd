package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.config.Declarations;
import io.github.chatcallbackrouter.config.Declarations.Setting;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --help}: the commands, and every setting with its environment variable, default and meaning, from their
 * declarations (application.properties), so the help never disagrees with the file.
 */
public final class Help {

    private Help() {
    }

    public static void print(PrintStream out) {
        out.println("""
                chat-callback-router: receives the webhook callbacks of a Tencent Cloud Chat app, answers them,
                and routes alarms to Slack and files by the rules in routes/*.camel.yaml.

                Usage: java @jvm.options -jar target/chat-callback-router.jar [COMMAND]

                Commands:
                  (none)          run the router with ./application.properties and ./routes/*.camel.yaml
                  validate        check the settings and every route file without starting anything, and
                                  run the rule tests in routes/tests/; exit 1 with one line per problem
                  explain --command WORD [--body FILE | --body -] [--sdkappid ID] [--json]
                                  run one callback through the rules with every delivery recorded, not made:
                                  the rule that matched, each place it would go and what it would receive,
                                  Chat's answer; exit 0 when it would be delivered somewhere, 1 when nowhere
                  send-test --url URL [--sdkappid ID] [--token T] [--command C]
                                  send a signed sample callback (an over-limit alarm by default) and print
                                  the answer; exit 0 only on an OK answer
                  replay [--dry-run]
                                  put the dead letters back in the outbox, to be posted again (--dry-run lists them)
                  silence add [--api SERVICE/COMMAND] [--sdkappid ID] [--command WORD] --for 2h --reason TEXT
                                  keep matching alarms from Slack for a while (still in the alert file);
                                  a running router applies it within seconds
                  silence list [--all] | silence expire ID
                                  the silences, with how many alarms each hid; end one now
                  --help          this text

                Settings: set the environment variable, or edit application.properties.""");
        for (String line : settings()) {
            out.println(line);
        }
    }

    /** "  ENV_NAME  what it does (default: x)" for each setting a variable overrides, by section. */
    private static List<String> settings() {
        List<String> lines = new ArrayList<>();
        String section = null;
        for (Setting setting : Declarations.all()) {
            if (setting.env() == null || lines.stream().anyMatch(line -> line.startsWith("  " + setting.env() + " "))) {
                continue; // one line per variable: a variable that sets two settings is listed at its first
            }
            if (!setting.section().equals(section)) {
                section = setting.section();
                lines.add("");
                lines.add(section + ":");
            }
            String fallback = setting.defaultValue().isEmpty() ? "empty" : setting.defaultValue();
            lines.add(String.format("  %-32s %s (default: %s)", setting.env(), setting.meaning(), fallback));
        }
        return lines;
    }
}
