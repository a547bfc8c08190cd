package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.config.Declarations;
import io.github.chatcallbackrouter.config.Declarations.Setting;
import io.github.chatcallbackrouter.runtime.Router;
import io.github.chatcallbackrouter.support.CannotStartException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.camel.CamelContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar chat-callback-router.jar [COMMAND]}: the router (no command, or {@code run}) and its commands,
 * each with its own {@code --help}; the top-level help ends with every setting's variable, from the declarations.
 */
@Command(name = "chat-callback-router", mixinStandardHelpOptions = true, versionProvider = Commands.Version.class,
        description = {"Receives the webhook callbacks of a Tencent Cloud Chat app, answers them, and routes alarms to"
                + " Slack and files by the rules in routes/*.camel.yaml.", "Without a command: run the router."},
        subcommands = {Commands.Run.class, Validate.class, Explain.class, SendTest.class, Replay.class,
                SilenceCommand.class})
public final class Commands implements Callable<Integer> {

    private static final int WIDTH = 118;

    /** The command line of the jar: parses, runs, and answers a start that cannot happen in one line. */
    public static CommandLine line() {
        CommandLine line = new CommandLine(new Commands()).setUsageHelpWidth(WIDTH);
        line.getCommandSpec().usageMessage().footer(settings().toArray(String[]::new));
        line.setExecutionExceptionHandler((error, commandLine, parsed) -> {
            if (!cannotStart(error, commandLine.getErr())) {
                throw error;
            }
            return 1;
        });
        return line;
    }

    /**
     * The router, as {@code run} starts it, without building the command line: reading every command's options
     * and help by reflection is a tenth of the router's start-up on one core. Its exit code.
     */
    public static int runRouter() throws Exception {
        try {
            return new Run().call();
        } catch (Exception e) {
            if (!cannotStart(e, new PrintWriter(System.err, true))) {
                throw e;
            }
            return 1;
        }
    }

    /** A busy port, a data directory in use, a wrong setting: what to do, in one line, not a stack trace. */
    private static boolean cannotStart(Throwable error, PrintWriter err) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CannotStartException cannot) {
                err.println("chat-callback-router: " + cannot.getMessage());
                return true;
            }
        }
        return false;
    }

    @Override
    public Integer call() throws Exception {
        return new Run().call();
    }

    /** {@code run}: the router, until it is stopped. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the router with ./application.properties and ./routes/ (the default).")
    static final class Run implements Callable<Integer> {

        @Override
        public Integer call() throws Exception {
            Router.create(Map.of()).run();
            return 0;
        }
    }

    /** The build's version, Camel's and Java's. */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            String ours = Commands.class.getPackage().getImplementationVersion();
            return new String[] {"chat-callback-router " + (ours == null ? "(not built as a jar)" : ours)
                    + ", Apache Camel " + CamelContext.class.getPackage().getImplementationVersion()
                    + ", Java " + Runtime.version()};
        }
    }

    /** "  ENV_NAME  what it does (default: x)" for each setting a variable overrides, by section. */
    private static List<String> settings() {
        List<String> lines = new ArrayList<>(List.of("", "Settings: set the environment variable, or edit"
                + " application.properties (docs/configuration.md)."));
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
            lines.addAll(wrapped(String.format("  %-32s ", setting.env()),
                    setting.meaning() + " (default: " + fallback + ")"));
        }
        return lines;
    }

    /** The text after the first line's start, in lines of at most WIDTH, the later ones indented under it. */
    private static List<String> wrapped(String start, String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(start);
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > WIDTH && line.length() > start.length()) {
                lines.add(line.toString().stripTrailing());
                line = new StringBuilder(" ".repeat(start.length()));
            }
            line.append(word).append(' ');
        }
        lines.add(line.toString().stripTrailing());
        return lines;
    }
}
