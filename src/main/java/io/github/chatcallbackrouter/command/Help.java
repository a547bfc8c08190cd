package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --help}: the commands, and every setting with its environment variable, default and meaning, read from
 * application.properties itself so the help never disagrees with the file.
 */
public final class Help {

    private static final Pattern SETTING = Pattern.compile("^([a-z][\\w.-]*)\\s*=\\s*(.*)$");
    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+):(.*)}}");

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

    /** "  ENV_NAME (default: x)  what it does" for each setting that names an environment variable. */
    private static List<String> settings() {
        List<String> lines = new ArrayList<>();
        String comment = "";
        for (String line : propertiesText().lines().toList()) {
            Matcher setting = SETTING.matcher(line.trim());
            if (line.startsWith("# ---")) {
                lines.add("");
                lines.add(line.replaceAll("^# -+ ?| ?-+$", "").trim() + ":");
                comment = "";
            } else if (line.startsWith("# ")) {
                comment = (comment + " " + line.substring(2).replaceAll("\\s*\\(env [A-Z0-9_]+\\)", "")).trim();
            } else if (setting.matches()) {
                Matcher env = ENV.matcher(setting.group(2));
                // one line per variable: a variable that sets two settings is listed at its first
                if (env.find() && lines.stream().noneMatch(known -> known.startsWith("  " + env.group(1) + " "))) {
                    String fallback = env.group(2).isEmpty() ? "empty" : env.group(2);
                    lines.add(String.format("  %-32s %s (default: %s)", env.group(1), comment, fallback));
                }
                comment = "";
            }
        }
        return lines;
    }

    private static String propertiesText() {
        try {
            if (Settings.propertiesLocation().startsWith("file:")) {
                return Files.readString(Path.of("application.properties"));
            }
            try (InputStream in = Help.class.getResourceAsStream("/application.properties")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties", e);
        }
    }
}
