package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.config.Settings;
import io.github.chatcallbackrouter.delivery.DeadLetter;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.journal.Spool;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code replay}: puts every dead letter back in the outbox, where the router delivers it as any
 * delivery (direct:deliver: paced, retried, dead-lettered again if it still fails), a running router within
 * router.recover-interval, a stopped one at its start. Only files move, each by an atomic rename, so it runs beside
 * the router; a delivery put back twice (two replays at once) is posted once, as the outbox keeps the ids of what
 * was delivered.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = {
        "Put the dead letters back in the outbox, to be posted again.",
        "The router posts them paced and retried like every delivery: a running router within"
                + " router.recover-interval, a stopped one at its start."})
public final class Replay implements Callable<Integer> {

    @Option(names = "--dry-run", description = "only list what would be put back")
    boolean dryRun;

    private final Path dataDir;
    private final PrintStream out;

    /** The command, on the data directory of this directory's settings. */
    public Replay() {
        this(null, System.out);
    }

    /** On this data directory (null: router.data-dir), printing to {@code out}. */
    public Replay(Path dataDir, PrintStream out) {
        this.dataDir = dataDir;
        this.out = out;
    }

    @Override
    public Integer call() {
        run(dryRun);
        return 0;
    }

    /** Returns how many dead letters were put back (or, for a dry run, would be). */
    public int run(boolean dryRun) {
        Path directory = dataDir != null ? dataDir : Path.of(Settings.read("router.data-dir"));
        Spool deadLetters = Spool.of(directory.resolve("dead-letter"), DeadLetter.class);
        Spool outbox = Spool.of(directory.resolve("outbox"), Delivery.class);
        int count = 0;
        for (Object entry : deadLetters.all()) {
            DeadLetter letter = (DeadLetter) entry;
            String what = letter.id() + " to " + letter.destination() + " (" + letter.delivery().subject() + ")";
            if (dryRun) {
                out.println("would put back " + what + ", dead-lettered because " + letter.reason());
            } else {
                outbox.write(letter.delivery());
                deadLetters.remove(letter.id());
                out.println("put back " + what);
            }
            count++;
        }
        out.println(dryRun ? count + " dead letters would be put back in the outbox."
                : count + " dead letters are back in the outbox: a running router posts them within"
                        + " router.recover-interval, paced and retried like every delivery; a stopped one at its start.");
        return count;
    }
}
