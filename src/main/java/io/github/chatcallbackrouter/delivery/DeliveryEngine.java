package io.github.chatcallbackrouter.delivery;

import io.github.chatcallbackrouter.support.BoundedLog;
import io.github.chatcallbackrouter.support.RouterMeters;
import io.github.chatcallbackrouter.support.Urls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every decision about deliveries, for every destination alike, on a clock of its own (a test moves it by hand):
 * which lane a delivery waits in, when its next post may start, what a receiver's {@link Verdict} leads to, and
 * when to give up. It does nothing itself: it hands back {@link Action actions} (post this, it was delivered, bury
 * that one in the dead letters) for {@link DeliveryService} to carry out, so it holds no thread, no file and no
 * connection, and never blocks.
 *
 * <ul>
 *   <li><b>A lane per destination and URL</b> (a Slack webhook, the app's backend, a robot): its own queue, pacing,
 *   concurrency and failure state, so a slow or dead one delays only itself. In a lane, alarms go first.</li>
 *   <li><b>Retries are scheduled, never refused</b>: a failing lane pauses as a whole (exponential backoff with
 *   jitter, or exactly the wait a 429 asked for) and tries one post at a time until one is taken; everything else
 *   waits in the outbox meanwhile. Nothing in memory can fill up and turn a delivery into a dead letter.</li>
 *   <li><b>Dead letters only for the documented reasons</b>: the receiver refused the message for good, or its lane
 *   has kept failing for the destination's give-up-after since the delivery was queued.</li>
 *   <li><b>Bounded</b>: at most max-queued deliveries wait for one lane (alarms are never the ones refused), and at
 *   most maxMemoryHeld deliveries are kept in memory only.</li>
 * </ul>
 *
 * <p>Thread-safe: every method takes the engine's lock, briefly.
 */
public final class DeliveryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    /** Ids of deliveries taken remembered, so one made again (an alarm routed twice after a crash) is not posted twice. */
    private static final int REMEMBERED_DELIVERIES = 10_000;

    private final Clock clock;
    private final Function<String, Destination> destinations;
    private final int maxMemoryHeld;
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final Map<String, Entry> live = new HashMap<>();
    private final Map<String, Boolean> delivered = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_DELIVERIES;
        }
    };
    private final BoundedLog retryLog = new BoundedLog(5, Duration.ofSeconds(30));
    private long sequence;
    private int memoryHeld;

    /**
     * @param destinations  the destination of a delivery's {@link Delivery#destination()}; throws
     *                      IllegalArgumentException for a name no destination has
     * @param maxMemoryHeld deliveries kept in memory only (not on disk) at most
     */
    public DeliveryEngine(Clock clock, Function<String, Destination> destinations, int maxMemoryHeld) {
        this.clock = clock;
        this.destinations = destinations;
        this.maxMemoryHeld = maxMemoryHeld;
    }

    /** Something for {@link DeliveryService} to do. */
    public sealed interface Action permits Post, Delivered, Bury {
        Entry entry();
    }

    /** Start one attempt now, with this receiver; report its verdict to {@link #completed}. */
    public record Post(Entry entry, Receiver receiver) implements Action {
    }

    /** The receiver took it: out of the outbox. */
    public record Delivered(Entry entry, String answer) implements Action {
    }

    /** Given up on: into the dead letters with the reason and every attempt; then {@link #buried} or {@link #unburied}. */
    public record Bury(Entry entry, String reason, List<DeadLetter.Attempt> attempts) implements Action {
    }

    /** What {@link #dispatch} found to do, and when it has something to do next if nothing happens meanwhile. */
    public record Work(List<Action> actions, long nextWakeMillis) {
    }

    /** The answer to a new delivery. */
    public record Admission(Entry entry, CompletableFuture<Void> already, String refusal) {

        /** Accepted: the caller keeps it (writes it to the outbox), then says {@link #kept} or {@link #notKept}. */
        public boolean accepted() {
            return entry != null;
        }
    }

    /** One delivery the engine knows of: its place, its lane, its attempts. */
    public static final class Entry {

        private final String id;
        private final Lane lane;
        private final boolean alarm;
        private final long sequence;
        /** Wanted on disk (in the outbox): not kept in memory only, nor posted while its caller waits. */
        private final boolean forDisk;
        private Delivery held;
        private final CompletableFuture<Void> kept = new CompletableFuture<>();
        private final CompletableFuture<Void> settled = new CompletableFuture<>();
        private Object stored;
        private long queuedAt;
        private long startedAt;
        private long notBefore;
        private List<DeadLetter.Attempt> attempts = List.of();
        /** Attempts that went out and got no answer, to a receiver that cannot drop a duplicate. */
        private int unanswered;

        private Entry(String id, Lane lane, boolean alarm, long sequence, Delivery held) {
            this.id = id;
            this.lane = lane;
            this.alarm = alarm;
            this.sequence = sequence;
            this.held = held;
            this.forDisk = held == null;
        }

        public String id() {
            return id;
        }

        /** Where the outbox keeps it; null for a delivery kept in memory only. */
        public Object stored() {
            return stored;
        }

        /** The delivery itself when it is held in memory; null when it is to be read from {@link #stored()}. */
        public Delivery held() {
            return held;
        }

        /** Nothing of it on disk, not even its dead letter (upstream.after.keep=memory). */
        public boolean memoryOnly() {
            return held != null && held.memoryOnly();
        }

        /** Its destination's name, as the delivery gave it. */
        public String destination() {
            return lane.destinationName;
        }

        /** Completed once it is kept (on disk, or in memory): a duplicate of it waits for the same. */
        public CompletableFuture<Void> kept() {
            return kept;
        }

        /** Completed once it is delivered or dead-lettered (by whoever carries out the engine's actions). */
        public CompletableFuture<Void> settled() {
            return settled;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /**
     * What health and metrics say of one lane; {@code nextPostInMillis}: how long until its next post may start
     * (its pacing, or a backoff), 0 while it may post now or nothing waits.
     */
    public record LaneStatus(String destination, String url, int queued, int inFlight, int maxQueued,
                             long oldestAgeMillis, long failingForMillis, int refusedInARow, String lastAnswer,
                             long nextPostInMillis) {

        /** Its receiver has not taken anything for a while: failing (5xx, unreachable, throttled) or refusing all. */
        public boolean failing() {
            return failingForMillis >= 0 || refusedInARow >= 3;
        }
    }

    /** Reserves a place for a new delivery, or says why not (its lane is full), or that it is kept already. */
    public synchronized Admission admit(Delivery delivery) {
        return admit(delivery, delivery.memoryOnly());
    }

    /**
     * Reserves a place for a new delivery; {@code inMemory}: it is held in memory rather than in the outbox (kept in
     * memory only, or posted while its caller waits for the outcome), and counts against the memory limit.
     */
    public synchronized Admission admit(Delivery delivery, boolean inMemory) {
        Entry existing = live.get(delivery.id());
        if (existing != null) {
            return new Admission(null, existing.kept, null);
        }
        if (delivered.containsKey(delivery.id())) {
            return new Admission(null, CompletableFuture.completedFuture(null), null);
        }
        Lane lane = lane(delivery.destination(), delivery.url());
        if (!delivery.alarm() && lane.size() >= lane.destination.maxQueued()) {
            RouterMeters.delivery(lane.destinationName, "refused_full");
            return new Admission(null, null, "the outbox for " + lane.destinationName + " is full ("
                    + lane.destination.maxQueued() + " deliveries wait for it: it has not taken them)");
        }
        if (inMemory && memoryHeld >= maxMemoryHeld) {
            RouterMeters.delivery(lane.destinationName, "refused_full");
            return new Admission(null, null, "the deliveries kept in memory are at their limit (" + maxMemoryHeld
                    + "): " + lane.destinationName + " has not taken them");
        }
        Entry entry = new Entry(delivery.id(), lane, delivery.alarm(), sequence++, inMemory ? delivery : null);
        live.put(entry.id, entry);
        lane.reserved++;
        if (entry.held != null) {
            memoryHeld++;
        }
        return new Admission(entry, null, null);
    }

    /**
     * The outbox has it ({@code stored}: where; null for a delivery kept in memory): it waits in its lane. The
     * caller then completes {@link Entry#kept()}, outside the engine's lock.
     */
    public synchronized void kept(Entry entry, Object stored) {
        entry.stored = stored;
        entry.queuedAt = clock.millis();
        entry.lane.reserved--;
        entry.lane.queue(entry);
    }

    /** The outbox could not keep it: as if it never came (the caller fails {@link Entry#kept()}). */
    public synchronized void notKept(Entry entry) {
        entry.lane.reserved--;
        forget(entry);
    }

    /**
     * The outbox's disk refused it: it is held in memory instead, within the memory limit, and waits in its lane;
     * false when memory is full too (then the caller says {@link #notKept}).
     */
    public synchronized boolean heldInstead(Entry entry, Delivery delivery) {
        if (memoryHeld >= maxMemoryHeld) {
            return false;
        }
        entry.held = delivery;
        memoryHeld++;
        kept(entry, null);
        return true;
    }

    /** Deliveries wanted on disk but held in memory because the outbox's disk refused them. */
    public synchronized List<Entry> heldForDisk() {
        return live.values().stream().filter(entry -> entry.forDisk && entry.held != null).toList();
    }

    /**
     * A delivery held in memory is on disk now; false when it was dealt with meanwhile (the caller then says so in
     * the outbox too).
     */
    public synchronized boolean storedNow(Entry entry, Object stored) {
        if (live.get(entry.id) != entry) {
            return false;
        }
        entry.stored = stored;
        entry.held = null;
        memoryHeld--;
        return true;
    }

    /** A delivery left in the outbox from before (a crash, a stop): it waits in its lane again, as of now. */
    public synchronized void restore(Delivery delivery, Object stored) {
        Admission admission = admit(delivery);
        if (admission.accepted()) {
            kept(admission.entry(), stored);
            admission.entry().kept.complete(null);
        }
    }

    /** Ids the outbox says were taken already: a delivery made again with one of them is not posted again. */
    public synchronized void rememberDelivered(String id) {
        delivered.put(id, Boolean.TRUE);
    }

    /** The posts to start now, the deliveries given up on, and when to look again. */
    public synchronized Work dispatch() {
        long now = clock.millis();
        List<Action> actions = new ArrayList<>();
        long wake = Long.MAX_VALUE;
        // lanes whose next delivery is an alarm first: where they share a thread or a connection, alarms go first
        List<Lane> order = new ArrayList<>(lanes.values());
        order.sort((a, b) -> Boolean.compare(b.hasAlarm(), a.hasAlarm()));
        for (Lane lane : order) {
            wake = Math.min(wake, lane.dispatch(now, actions));
        }
        return new Work(actions, wake);
    }

    /** What an attempt came to; returns what follows (delivered, a dead letter, or nothing: it waits again). */
    public synchronized List<Action> completed(Entry entry, Delivery delivery, Verdict verdict) {
        long now = clock.millis();
        Lane lane = entry.lane;
        lane.inFlight--;
        lane.lastAnswer = verdict.answer();
        if (verdict.kind() != Verdict.Kind.DELIVERED) {
            entry.attempts = append(entry.attempts, new DeadLetter.Attempt(Instant.ofEpochMilli(now).toString(),
                    verdict.answer()));
        }
        switch (verdict.kind()) {
            case DELIVERED -> {
                lane.answering(now);
                lane.refusedInARow = 0;
                delivered.put(entry.id, Boolean.TRUE);
                forget(entry);
                RouterMeters.delivery(lane.destinationName, "delivered");
                return List.of(new Delivered(entry, verdict.answer()));
            }
            case REFUSED -> {
                // it answered: the way to it works, this message is what it will not take
                lane.answering(now);
                lane.refusedInARow++;
                return List.of(bury(entry, lane.destinationName + " refused it: " + verdict.answer()));
            }
            case UNKNOWN -> {
                if (++entry.unanswered > 1) {
                    lane.answering(now);
                    return List.of(bury(entry, "no answer twice after it went out: " + verdict.answer()
                            + "; it may have been posted, and " + lane.destinationName + " cannot drop a duplicate,"
                            + " so it is not tried a third time"));
                }
                return retry(entry, delivery, Verdict.retry(verdict.answer()), now);
            }
            default -> {
                return retry(entry, delivery, verdict, now);
            }
        }
    }

    /** A failed attempt that is tried again after a wait, unless its lane has failed for too long. */
    private List<Action> retry(Entry entry, Delivery delivery, Verdict verdict, long now) {
        Lane lane = entry.lane;
        Destination destination = lane.destination;
        // of several posts that were in flight when the receiver went down, the first failure counts
        boolean counts = verdict.kind() == Verdict.Kind.RETRY && entry.startedAt > lane.lastFailure;
        long delay = verdict.kind() == Verdict.Kind.RATE_LIMITED ? verdict.waitMillis()
                : backoff(destination, Math.max(1, lane.failures + (counts ? 1 : 0)));
        lane.failing(now, delay, counts);
        long waited = now - lane.waitingSince(entry);
        if (waited + delay > destination.giveUpAfterMillis()) {
            return List.of(bury(entry, "still failing after " + TimeUtils.printDuration(waited, true)
                    + " and " + entry.attempts.size() + " attempts: " + verdict.answer()));
        }
        lane.requeue(entry);
        RouterMeters.delivery(lane.destinationName,
                verdict.kind() == Verdict.Kind.RATE_LIMITED ? "rate_limited" : "retried");
        // an alarm's attempts are each logged by the service; the rest at a bounded rate
        String note = entry.alarm ? null : retryLog.admit(lane.key);
        if (note != null) {
            LOG.warn("Delivery {} to {} ({}) failed: {}; {} waits {} ms, {} deliveries behind it{}", entry.id,
                    lane.destinationName, delivery == null ? "-" : delivery.subject(), verdict.answer(),
                    lane.destinationName, delay, lane.size() - 1, note);
        }
        return List.of();
    }

    /** The dead letter is written: the delivery is gone. */
    public synchronized void buried(Entry entry) {
        forget(entry);
        RouterMeters.delivery(entry.lane.destinationName, entry.memoryOnly() ? "dropped" : "dead_lettered");
    }

    /** The dead letter could not be written: the delivery waits in its lane and is given up on again later. */
    public synchronized void unburied(Entry entry, long retryAfterMillis) {
        entry.notBefore = clock.millis() + retryAfterMillis;
        entry.lane.requeue(entry);
    }

    /** Deliveries known: waiting, in flight, being kept. */
    public synchronized int size() {
        return live.size();
    }

    /** Deliveries held in memory (not on disk). */
    public synchronized int memoryHeld() {
        return memoryHeld;
    }

    /** Every lane that has something waiting, is failing, or answered last. */
    public synchronized List<LaneStatus> status() {
        long now = clock.millis();
        List<LaneStatus> status = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            status.add(lane.status(now));
        }
        return status;
    }

    /** Deliveries given up on while their lane was failing are dead letters; the rest stay where they are. */
    private Bury bury(Entry entry, String reason) {
        return new Bury(entry, reason, entry.attempts);
    }

    private void forget(Entry entry) {
        if (live.remove(entry.id) == entry && entry.held != null) {
            memoryHeld--;
        }
    }

    private Lane lane(String destinationName, String url) {
        String key = destinationName + " " + url;
        Lane lane = lanes.get(key);
        if (lane == null) {
            lane = new Lane(key, destinationName, url, destinations.apply(destinationName));
            lanes.put(key, lane);
        }
        return lane;
    }

    /** initial x 2^(n-1), capped, times a random factor in [0.5, 1.5) so many routers do not retry in step. */
    static long backoff(Destination destination, int failures) {
        double exponential = destination.initialDelayMillis() * Math.pow(2, Math.min(failures - 1, 30));
        double jitter = 0.5 + ThreadLocalRandom.current().nextDouble();
        return (long) (Math.min(exponential, destination.maxDelayMillis()) * jitter);
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> longer = new ArrayList<>(list);
        longer.add(item);
        return Collections.unmodifiableList(longer);
    }

    /** The deliveries waiting for one destination and URL, and what the engine knows of its receiver there. */
    private final class Lane {

        private final String key;
        private final String destinationName;
        private final String url;
        private final Destination destination;
        private final Pacing pacing;
        private final ArrayDeque<Entry> alarms = new ArrayDeque<>();
        private final ArrayDeque<Entry> others = new ArrayDeque<>();
        private int inFlight;
        private int reserved;
        /** No post starts before this (a backoff, or the wait a 429 asked for). */
        private long pausedUntil;
        private int failures;
        private long lastFailure = Long.MIN_VALUE;
        /** Since when every attempt failed; -1 while it answers. */
        private long failingSince = -1;
        private int refusedInARow;
        private String lastAnswer;

        Lane(String key, String destinationName, String url, Destination destination) {
            this.key = key;
            this.destinationName = destinationName;
            this.url = url;
            this.destination = destination;
            this.pacing = destination.newPacing();
        }

        int size() {
            return alarms.size() + others.size() + inFlight + reserved;
        }

        boolean hasAlarm() {
            return !alarms.isEmpty();
        }

        void queue(Entry entry) {
            (entry.alarm ? alarms : others).addLast(entry);
        }

        /** Back at the front: it was the oldest, and stays first in line. */
        void requeue(Entry entry) {
            (entry.alarm ? alarms : others).addFirst(entry);
        }

        /** The lane's receiver answered: whatever failed before is over. */
        void answering(long now) {
            if (failingSince >= 0) {
                LOG.info("{} answers again after {} of failures; {} deliveries wait for it", destinationName,
                        TimeUtils.printDuration(now - failingSince, true), size());
            }
            failures = 0;
            failingSince = -1;
            pausedUntil = 0;
        }

        void failing(long now, long delay, boolean countsAsFailure) {
            if (failingSince < 0) {
                failingSince = now;
            }
            if (countsAsFailure) {
                failures++;
                lastFailure = now;
            }
            pausedUntil = Math.max(pausedUntil, now + delay);
        }

        /** Since when a delivery has waited on a failing receiver: since it was queued, or since the failures began. */
        long waitingSince(Entry entry) {
            return Math.max(entry.queuedAt, failingSince < 0 ? entry.queuedAt : failingSince);
        }

        /** Starts what may start now; returns when this lane next has something to do (MAX_VALUE: nothing). */
        long dispatch(long now, List<Action> actions) {
            long wake = Long.MAX_VALUE;
            if (failingSince >= 0) {
                wake = giveUpOnTheLongWaiting(now, actions);
            }
            if (alarms.isEmpty() && others.isEmpty()) {
                return wake;
            }
            if (now < pausedUntil) {
                return Math.min(wake, pausedUntil);
            }
            int cap = failingSince >= 0 ? 1 : destination.maxInFlight();
            while (inFlight < cap) {
                Entry next = next(now);
                if (next == null) {
                    return Math.min(wake, earliestParked());
                }
                long slot = pacing.earliest(now);
                if (slot > now) {
                    return Math.min(wake, slot);
                }
                (next.alarm ? alarms : others).remove(next);
                pacing.started(now);
                next.startedAt = now;
                inFlight++;
                actions.add(new Post(next, destination.receiver()));
            }
            return wake; // at its cap: an attempt's end wakes it
        }

        /** The first delivery in line that may go now (alarms first); one whose dead letter failed waits its time. */
        private Entry next(long now) {
            for (ArrayDeque<Entry> queue : List.of(alarms, others)) {
                for (Entry entry : queue) {
                    if (entry.notBefore <= now) {
                        return entry;
                    }
                }
            }
            return null;
        }

        private long earliestParked() {
            long earliest = Long.MAX_VALUE;
            for (ArrayDeque<Entry> queue : List.of(alarms, others)) {
                for (Entry entry : queue) {
                    earliest = Math.min(earliest, entry.notBefore);
                }
            }
            return earliest;
        }

        /**
         * While the receiver fails, a delivery that has waited give-up-after (since it was queued, or since the
         * failures began) is given up on, whether or not it was the one tried. The oldest are at the fronts.
         */
        private long giveUpOnTheLongWaiting(long now, List<Action> actions) {
            long giveUp = destination.giveUpAfterMillis();
            long wake = Long.MAX_VALUE;
            for (ArrayDeque<Entry> queue : List.of(alarms, others)) {
                Iterator<Entry> entries = queue.iterator();
                while (entries.hasNext()) {
                    Entry entry = entries.next();
                    long due = waitingSince(entry) + giveUp;
                    if (due > now) {
                        wake = Math.min(wake, due);
                        break;
                    }
                    entries.remove();
                    actions.add(bury(entry, "not delivered: " + destinationName + " has failed for "
                            + TimeUtils.printDuration(now - failingSince, true) + " since before it was due"
                            + " (last answer: " + lastAnswer + ")"));
                }
            }
            return wake;
        }

        LaneStatus status(long now) {
            long oldest = Long.MAX_VALUE;
            for (ArrayDeque<Entry> queue : List.of(alarms, others)) {
                for (Entry entry : queue) {
                    oldest = Math.min(oldest, entry.queuedAt);
                }
            }
            long nextPost = oldest == Long.MAX_VALUE ? now : Math.max(pausedUntil, pacing.earliest(now));
            return new LaneStatus(destinationName, Urls.redact(url), size(), inFlight,
                    destination.maxQueued(), oldest == Long.MAX_VALUE ? 0 : now - oldest,
                    failingSince < 0 ? -1 : now - failingSince, refusedInARow, lastAnswer, Math.max(0, nextPost - now));
        }
    }
}
