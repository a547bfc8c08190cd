package io.github.chatcallbackrouter.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.chatcallbackrouter.journal.SegmentLog;
import io.github.chatcallbackrouter.journal.Spool;
import io.github.chatcallbackrouter.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where deliveries wait until their destination took them or they were given up on: a {@link SegmentLog} in
 * {@code outbox/} (one line adds a delivery, a later one says it was delivered or dead-lettered), the dead letters
 * beside it in {@code dead-letter/}, one JSON file each. A delivery dropped into {@code outbox/} as a file of its
 * own ({@code replay} puts dead letters back so, beside a running router) is taken into the log and posted like
 * the others.
 */
final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    /** Segments of about this size: a few seconds of a busy backend's relays, a delete once all are delivered. */
    private static final long SEGMENT_BYTES = 8 * 1024 * 1024;

    /** One line of the log: a delivery added, or one dealt with ({@code done} its id, {@code in} its segment). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(Delivery add, String done, Long in, String outcome) {
    }

    private final SegmentLog log;
    private final Spool dropped;
    private final Spool deadLetters;

    private Outbox(SegmentLog log, Spool dropped, Spool deadLetters) {
        this.log = log;
        this.dropped = dropped;
        this.deadLetters = deadLetters;
    }

    /** Opens the outbox and the dead letters, and gives the engine every delivery still waiting, oldest first. */
    static Outbox open(Path outbox, Path deadLetterDirectory, DeliveryEngine engine) {
        Map<String, Waiting> waiting = new LinkedHashMap<>();
        int[] unreadable = new int[1];
        SegmentLog log = SegmentLog.open(outbox, SEGMENT_BYTES, "outbox-writer", (bytes, at) -> {
            Line line;
            try {
                line = Json.MAPPER.readValue(bytes, Line.class);
            } catch (IOException e) {
                unreadable[0]++;
                return -1;
            }
            if (line.add() != null) {
                waiting.put(line.add().id(), new Waiting(line.add(), at));
                return -1;
            }
            if (line.done() != null) {
                waiting.remove(line.done());
                engine.rememberDelivered(line.done());
                return line.in() == null ? -1 : line.in();
            }
            return -1;
        });
        if (unreadable[0] > 0) {
            LOG.warn("{} lines of {} could not be read and were skipped", unreadable[0], outbox);
        }
        for (Waiting entry : waiting.values()) {
            log.retain(entry.at());
            engine.restore(entry.delivery(), entry.at());
        }
        log.start();
        if (!waiting.isEmpty()) {
            LOG.info("{} deliveries waited in {} from before the last stop: delivering them now", waiting.size(),
                    outbox);
        }
        return new Outbox(log, Spool.of(outbox, Delivery.class), Spool.of(deadLetterDirectory, DeadLetter.class));
    }

    private record Waiting(Delivery delivery, SegmentLog.Location at) {
    }

    /** Kept: the future completes once the delivery is on disk. Alarms are written first. */
    CompletableFuture<SegmentLog.Location> keep(Delivery delivery) {
        return log.append(json(new Line(delivery, null, null, null)), delivery.alarm());
    }

    /** The delivery as it was kept. */
    Delivery load(Object stored) throws IOException {
        return Json.MAPPER.readValue(log.read((SegmentLog.Location) stored), Line.class).add();
    }

    /** Delivered, or dead-lettered: no longer waiting. */
    void done(DeliveryEngine.Entry entry, String outcome) {
        done(entry.id(), (SegmentLog.Location) entry.stored(), outcome);
    }

    /** The delivery of this id, kept at {@code at}, is delivered or dead-lettered. */
    void done(String id, SegmentLog.Location at, String outcome) {
        log.appendRelease(json(new Line(null, id, at.segment(), outcome)), at);
    }

    /** Writes the dead letter (forced to disk); throws when it cannot be written. */
    void bury(DeadLetter letter) {
        deadLetters.write(letter);
    }

    /** Deliveries dropped in as files of their own (a replay, an older router's outbox), oldest first. */
    List<Object> dropped() {
        return dropped.due();
    }

    /** A dropped file is in the log now. */
    void taken(Delivery delivery) {
        dropped.remove(delivery.id());
    }

    /** Dead letters now in dead-letter/. */
    long deadLetterCount() {
        return deadLetters.size();
    }

    /** Why the outbox could not be written last, or null. */
    String lastFailure() {
        return log.lastFailure();
    }

    @Override
    public void close() {
        log.close();
    }

    private static byte[] json(Line line) {
        try {
            return Json.MAPPER.writeValueAsBytes(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a delivery as JSON", e);
        }
    }
}
