package io.github.chatcallbackrouter.journal;

import io.github.chatcallbackrouter.support.LogText;
import io.github.chatcallbackrouter.support.RouterMeters;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where alarms are kept between Chat's OK and the end of their rules (local mode), or until the brokers take them
 * (kafka mode): the journal on this disk, each alarm forced to disk before Chat hears OK. When the disk refuses
 * (full, read-only, broken) or cannot keep up, an alarm is held in memory instead, and Chat still hears OK: Chat
 * never sends a callback again, so a refusal would lose exactly the alarm that says the app is in trouble. What is
 * held in memory is handed out like the rest, and written to the journal as soon as the disk takes a write again.
 * Only when memory is full too ({@code alarms.memory-max}) is an alarm refused.
 *
 * <p>One per CamelContext (the route files reach it through their {@link AlarmJournal} bean), started and stopped
 * with it. Its state is in {@link #heldInMemory()}, {@link #lastWriteFailure()} and the log: one line when alarms
 * start to be held in memory, one when they are all on disk again.
 */
public final class AlarmKeeping extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmKeeping.class);
    /** Alarms waiting for a journal write at most; more go to memory at once (the disk cannot keep up). */
    private static final int WRITE_QUEUE = 1000;

    /** How an alarm was kept. */
    public enum Kept {
        DISK, MEMORY
    }

    /** An alarm the journal could not keep anywhere: memory is full too. */
    public static final class NotKeptException extends IllegalStateException {

        NotKeptException(String message) {
            super(message);
        }
    }

    private final Spool disk;
    private final int maxInMemory;
    private final long stopWaitMillis;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Spooled> memory = new LinkedHashMap<>();
    private final Set<String> memoryInFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> memorySince = new LinkedHashMap<>();
    private ExecutorService writer;
    private volatile String lastWriteFailure;
    /** Since the disk first refused an alarm, until all is on it again: said once when it starts, once when it ends. */
    private boolean holding;

    /**
     * @param directory      the journal's directory
     * @param type           the class of its entries
     * @param maxInMemory    alarms held in memory at most (alarms.memory-max)
     * @param stopWaitMillis how long a stop waits for what is held in memory to be dealt with or written
     */
    public AlarmKeeping(Path directory, Class<? extends Spooled> type, int maxInMemory, long stopWaitMillis) {
        this.disk = Spool.of(directory, type);
        this.maxInMemory = maxInMemory;
        this.stopWaitMillis = stopWaitMillis;
    }

    /**
     * Keeps the alarm: on disk (the future completes once it is forced there), else in memory; fails only with
     * {@link NotKeptException} when memory is full too. Either way it is in flight: its route is working on it.
     */
    public CompletableFuture<Kept> keep(Spooled alarm) {
        CompletableFuture<Kept> kept = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    disk.write(alarm);
                    lastWriteFailure = null;
                    kept.complete(Kept.DISK);
                    endHoldingWhenAllOnDisk(0);
                } catch (RuntimeException e) {
                    lastWriteFailure = LogText.of(e.getCause() != null ? e.getCause().toString() : e.toString());
                    hold(alarm, kept);
                }
            });
        } catch (RejectedExecutionException busy) {
            hold(alarm, kept);
        }
        return kept;
    }

    private void hold(Spooled alarm, CompletableFuture<Kept> kept) {
        synchronized (memory) {
            if (memory.size() >= maxInMemory) {
                kept.completeExceptionally(new NotKeptException("the journal's disk refuses it ("
                        + (lastWriteFailure == null ? "too many waiting for it" : lastWriteFailure) + ") and "
                        + maxInMemory + " alarms are held in memory already (alarms.memory-max)"));
                return;
            }
            if (!holding) {
                holding = true;
                LOG.error("Alarms are held in memory, not journaled: the journal's disk refuses them ({}). They are"
                        + " routed as usual and written to the journal once it takes writes again; a crash meanwhile"
                        + " would lose them. /observe/health is DOWN until then.",
                        lastWriteFailure == null ? "it cannot keep up" : lastWriteFailure);
            }
            memory.put(alarm.id(), alarm);
            memorySince.put(alarm.id(), clock.millis());
            memoryInFlight.add(alarm.id());
        }
        kept.complete(Kept.MEMORY);
    }

    /** Dealt with (its rules are done): gone from memory or disk. */
    public void remove(String id) {
        synchronized (memory) {
            if (memory.remove(id) != null) {
                memorySince.remove(id);
                memoryInFlight.remove(id);
                return;
            }
        }
        disk.remove(id);
    }

    /** Not dealt with, and nothing works on it any more: {@link #due()} hands it out again. */
    public void release(String id) {
        if (id == null) {
            return;
        }
        if (!memoryInFlight.remove(id)) {
            disk.release(id);
        }
    }

    /**
     * The alarms nothing works on, now in flight: what is held in memory (written to disk first, when it takes
     * writes again), then the journal's, oldest first.
     */
    public List<Object> due() {
        writeHeldToDisk();
        List<Object> due = new ArrayList<>();
        synchronized (memory) {
            for (Spooled alarm : memory.values()) {
                if (memoryInFlight.add(alarm.id())) {
                    due.add(alarm);
                }
            }
        }
        try {
            due.addAll(disk.due());
        } catch (RuntimeException unreadable) {
            // a disk that cannot even be listed: what memory holds is handed out all the same
            lastWriteFailure = LogText.of(unreadable.getMessage());
        }
        return due;
    }

    /** Alarms held in memory now, not on disk. */
    public int heldInMemory() {
        synchronized (memory) {
            return memory.size();
        }
    }

    /** Why the last journal write failed, or null when the last one succeeded. */
    public String lastWriteFailure() {
        return lastWriteFailure;
    }

    /** How long ago the oldest alarm (in memory or on disk) came; empty when there is none. */
    public Optional<Long> oldestAgeMillis() {
        Optional<Long> onDisk;
        try {
            onDisk = disk.oldestAgeMillis();
        } catch (RuntimeException unreadable) {
            onDisk = Optional.empty();
        }
        synchronized (memory) {
            Optional<Long> inMemory = memorySince.values().stream().findFirst().map(at -> clock.millis() - at);
            return inMemory.isPresent() && (onDisk.isEmpty() || inMemory.get() > onDisk.get()) ? inMemory : onDisk;
        }
    }

    /** The alarms held in memory, written to the journal once its disk takes a write of their size again. */
    private void writeHeldToDisk() {
        List<Spooled> held;
        synchronized (memory) {
            if (memory.isEmpty()) {
                return;
            }
            held = new ArrayList<>(memory.values());
        }
        if (lastWriteFailure != null && !disk.writableAgain()) {
            return;
        }
        int written = 0;
        for (Spooled alarm : held) {
            try {
                disk.write(alarm);
            } catch (RuntimeException e) {
                lastWriteFailure = LogText.of(e.getCause() != null ? e.getCause().toString() : e.toString());
                return;
            }
            synchronized (memory) {
                if (memory.remove(alarm.id()) == null) {
                    disk.remove(alarm.id()); // dealt with while it was written
                } else {
                    memorySince.remove(alarm.id());
                    if (!memoryInFlight.remove(alarm.id())) {
                        disk.release(alarm.id());
                    }
                    written++;
                }
            }
        }
        lastWriteFailure = null;
        endHoldingWhenAllOnDisk(written);
    }

    /** The disk takes writes and nothing is held in memory any more: the episode is over, and said so. */
    private void endHoldingWhenAllOnDisk(int written) {
        synchronized (memory) {
            if (holding && memory.isEmpty() && lastWriteFailure == null) {
                holding = false;
                LOG.info("Alarms are journaled on disk again ({} held in memory were written to the journal, the"
                        + " others routed meanwhile)", written);
            }
        }
    }

    @Override
    protected void doStart() {
        writer = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(WRITE_QUEUE),
                runnable -> {
                    Thread thread = new Thread(runnable, "alarm-journal");
                    thread.setDaemon(true);
                    return thread;
                });
        RouterMeters.gauge("chat.journal.depth", "Alarms answered but not yet routed, on disk and in memory",
                () -> disk.size() + heldInMemory());
        RouterMeters.gauge("chat.journal.oldest.age.seconds", "Age in seconds of the oldest alarm not yet routed",
                () -> oldestAgeMillis().orElse(0L) / 1000.0);
        RouterMeters.gauge("chat.alarms.in.memory", "Alarms held in memory because the journal's disk refuses them",
                this::heldInMemory);
    }

    /**
     * Before the routes stop: waits up to the stop wait for what is held in memory to be dealt with (routed) or
     * written to the journal.
     */
    public void beforeStop() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stopWaitMillis);
        if (heldInMemory() > 0) {
            LOG.warn("Stopping: waiting up to {} ms for the {} alarms held in memory to be routed or journaled",
                    stopWaitMillis, heldInMemory());
        }
        while (heldInMemory() > 0 && System.nanoTime() < deadline) {
            writeHeldToDisk();
            if (heldInMemory() > 0) {
                Thread.sleep(100);
            }
        }
    }

    /** What is still held in memory now is lost, and said so. */
    @Override
    protected void doStop() throws Exception {
        writeHeldToDisk();
        int lost = heldInMemory();
        if (lost > 0) {
            LOG.error("{} alarms held in memory could be neither routed nor written to the journal before the stop"
                    + " (its disk still refuses them: {}); they are lost", lost, lastWriteFailure);
        }
        if (writer != null) {
            writer.shutdown();
            writer.awaitTermination(stopWaitMillis, TimeUnit.MILLISECONDS);
        }
    }
}
