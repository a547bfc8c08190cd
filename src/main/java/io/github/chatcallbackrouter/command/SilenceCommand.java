package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.config.Settings;
import io.github.chatcallbackrouter.alert.Silence;
import io.github.chatcallbackrouter.alert.SilencedAlarms;
import io.github.chatcallbackrouter.alert.Silences;
import io.github.chatcallbackrouter.journal.Spool;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code silence add|list|expire}: silences in the router's data directory (router.data-dir of this directory's
 * settings). A running router reads them within seconds; this command needs no running router.
 */
public final class SilenceCommand {

    private static final String USAGE = """
            usage: silence add [--api SERVICE/COMMAND] [--sdkappid ID] [--command WORD] --for DURATION --reason TEXT
                   silence list [--all]
                   silence expire ID""";

    private final PrintStream out;

    public SilenceCommand(PrintStream out) {
        this.out = out;
    }

    public int run(List<String> args) {
        if (args.isEmpty()) {
            return usage("say add, list or expire");
        }
        Silences silences = silencesIn(Path.of(Settings.read("router.data-dir")));
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "add" -> add(silences, rest);
            case "list" -> list(silences, rest.contains("--all"));
            case "expire" -> rest.size() == 1 ? expire(silences, rest.get(0)) : usage("expire takes one silence id");
            default -> usage("unknown: " + args.get(0));
        };
    }

    /** The silences of a data directory, as the router's classify.camel.yaml declares them. */
    static Silences silencesIn(Path dataDir) {
        Silences silences = new Silences();
        silences.setDefinitions(Spool.of(dataDir.resolve("silences"), Silence.class));
        silences.setHidden(Spool.of(dataDir.resolve("silenced"), SilencedAlarms.class));
        return silences;
    }

    private int add(Silences silences, List<String> args) {
        Silence silence;
        try {
            Options options = Options.parse(args, Set.of("api", "sdkappid", "command", "for", "reason"), Set.of());
            silence = silences.add(options.get("api"), options.get("sdkappid"), options.get("command"),
                    options.get("for"), options.get("reason"), System.getProperty("user.name"));
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        out.println("Silence " + silence.id() + " added: " + silence.matchers() + ", until " + silence.endsAt()
                + " (" + silence.reason() + ").");
        out.println("Matching alarms still go to the alert file, with the silence's id; Slack and forwards skip them.");
        out.println("When it ends, one summary of what it hid is posted. A running router applies it within seconds.");
        out.println("To end it sooner: silence expire " + silence.id());
        return 0;
    }

    private int list(Silences silences, boolean all) {
        List<Silence> shown = silences.list().stream().filter(s -> all || silences.isActive(s)).toList();
        long ended = silences.list().stream().filter(s -> !silences.isActive(s)).count();
        if (shown.isEmpty()) {
            out.println("No active silences." + (ended > 0 && !all ? " (" + ended + " ended: silence list --all)" : ""));
            return 0;
        }
        String format = "%-12s %-7s %-21s %6s  %-36s %s%n";
        out.printf(format, "ID", "STATE", "ENDS", "HIDDEN", "MATCHES", "REASON");
        for (Silence silence : shown) {
            out.printf(format, silence.id(), silences.isActive(silence) ? "active" : "ended", silence.endsAt(),
                    silences.hiddenBy(silence.id()), silence.matchers(), silence.reason());
        }
        if (!all && ended > 0) {
            out.println("(" + ended + " ended: silence list --all)");
        }
        return 0;
    }

    private int expire(Silences silences, String id) {
        Optional<Silence> silence = silences.expire(id);
        if (silence.isEmpty()) {
            out.println("silence: no silence " + id + " (silence list --all shows them)");
            return 1;
        }
        out.println("Silence " + id + " ended. A running router posts alarms that match it again within seconds,"
                + " and a summary of what it hid.");
        return 0;
    }

    private int usage(String problem) {
        out.println("silence: " + problem);
        out.println(USAGE);
        return 2;
    }
}
