package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.alert.Silence;
import io.github.chatcallbackrouter.alert.SilencedAlarms;
import io.github.chatcallbackrouter.alert.Silences;
import io.github.chatcallbackrouter.config.Settings;
import io.github.chatcallbackrouter.journal.Spool;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code silence add|list|expire}: silences in the router's data directory (router.data-dir of this directory's
 * settings). A running router reads them within seconds; this command needs no running router.
 */
@Command(name = "silence", mixinStandardHelpOptions = true, description = {
        "Keep matching alarms from Slack for a while: add, list, expire.",
        "Silenced alarms still reach the alert file; Slack and forwards skip them. A running router applies a change"
                + " within seconds, and each end of a silence posts a summary of what it hid."})
public final class SilenceCommand {

    private final PrintStream out = System.out;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Start a silence.")
    int add(@Option(names = "--api", paramLabel = "SERVICE/COMMAND",
                    description = "the REST API, e.g. openim/batchsendmsg; openim/* for a whole service") String api,
            @Option(names = "--sdkappid", paramLabel = "ID", description = "the app") String sdkAppId,
            @Option(names = "--command", paramLabel = "WORD", description = "the alarm's command word") String command,
            @Option(names = "--for", required = true, paramLabel = "DURATION", description = "how long: 30m, 2h, 1d")
            String duration,
            @Option(names = "--reason", required = true, paramLabel = "TEXT",
                    description = "why, for whoever wonders where the alarms went")
            String reason) {
        Silence silence;
        try {
            silence = silences().add(api, sdkAppId, command, duration, reason, System.getProperty("user.name"));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.subcommands().get("add"), e.getMessage());
        }
        out.println("Silence " + silence.id() + " added: " + silence.matchers() + ", until " + silence.endsAt()
                + " (" + silence.reason() + ").");
        out.println("Matching alarms still go to the alert file, with the silence's id; Slack and forwards skip them.");
        out.println("When it ends, one summary of what it hid is posted. A running router applies it within seconds.");
        out.println("To end it sooner: silence expire " + silence.id());
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The active silences, with how many alarms each hid.")
    int list(@Option(names = "--all", description = "the ended ones too") boolean all) {
        Silences silences = silences();
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

    @Command(name = "expire", mixinStandardHelpOptions = true, description = "End a silence now.")
    int expire(@Parameters(paramLabel = "ID", description = "the silence, as silence list shows it") String id) {
        Optional<Silence> silence = silences().expire(id);
        if (silence.isEmpty()) {
            out.println("silence: no silence " + id + " (silence list --all shows them)");
            return 1;
        }
        out.println("Silence " + id + " ended. A running router posts alarms that match it again within seconds,"
                + " and a summary of what it hid.");
        return 0;
    }

    /** The silences of this directory's data directory, as the router's classify.camel.yaml declares them. */
    private static Silences silences() {
        Path dataDir = Path.of(Settings.read("router.data-dir"));
        Silences silences = new Silences();
        silences.setDefinitions(Spool.of(dataDir.resolve("silences"), Silence.class));
        silences.setHidden(Spool.of(dataDir.resolve("silenced"), SilencedAlarms.class));
        return silences;
    }
}
