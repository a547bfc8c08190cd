package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.delivery.DeadLetter;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.journal.Spool;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code replay [--dry-run]}: puts every dead letter back in the outbox, where the router delivers it as any
 * delivery (deliveries.camel.yaml: paced, retried, dead-lettered again if it still fails), a running router within
 * router.recover-interval, a stopped one at its start. Only files move, each by an atomic rename, so it runs beside
 * the router; a delivery put back twice (two replays at once) is posted once, as the outbox keeps the ids of what
 * was delivered.
 */
public final class Replay {

    private final Spool deadLetters;
    private final Spool outbox;
    private final PrintStream out;

    public Replay(Path dataDir, PrintStream out) {
        this.deadLetters = Spool.of(dataDir.resolve("dead-letter"), DeadLetter.class);
        this.outbox = Spool.of(dataDir.resolve("outbox"), Delivery.class);
        this.out = out;
    }

    /** Returns how many dead letters were put back (or, for a dry run, would be). */
    public int run(boolean dryRun) {
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
