package io.github.chatcallbackrouter.delivery;

import static io.github.chatcallbackrouter.support.ContextServices.setting;

import io.github.chatcallbackrouter.journal.SegmentLog;
import io.github.chatcallbackrouter.support.LogText;
import io.github.chatcallbackrouter.support.RouterMeters;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery engine at work, one per CamelContext, whatever the route files that reach it through their
 * {@link Deliveries} bean (a reload makes a new bean; the engine, its outbox and its lanes stay): the
 * {@link Outbox} on disk, a scheduler thread that starts what the {@link DeliveryEngine} says may start, the
 * {@link HttpTransport} that posts without holding a thread, and a thread that writes dead letters. Started and
 * stopped with the CamelContext.
 */
public final class DeliveryService extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);
    /** Bytes of a receiver's answer read at most: enough for any error a receiver explains itself with. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** How long a stop waits for the posts in flight to be answered. */
    private static final long STOP_WAIT_MILLIS = 5_000;

    /** Where it keeps things and how it posts, from the settings of its CamelContext. */
    record Settings(Path dataDirectory, long recoverIntervalMillis, long connectTimeoutMillis,
                    long responseTimeoutMillis, int maxMemoryHeld) {

        static Settings of(CamelContext context) {
            return new Settings(Path.of(setting(context, "router.data-dir")),
                    TimeUtils.toMilliSeconds(setting(context, "router.recover-interval")),
                    Long.parseLong(setting(context, "camel.component.http.connect-timeout")),
                    Long.parseLong(setting(context, "camel.component.http.response-timeout")),
                    Integer.parseInt(setting(context, "deliveries.memory-max")));
        }
    }

    private final CamelContext camelContext;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, Destination> destinations = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger posting = new AtomicInteger();
    private final Object wakeUp = new Object();
    private boolean woken;
    private DeliveryEngine engine;
    private Outbox outbox;
    private HttpTransport transport;
    private Thread scheduler;
    private ExecutorService deadLetterWriter;
    private ExecutorService keptCallbacks;
    private volatile boolean running;
    private volatile boolean holdingForDisk;
    private long nextRecovery;

    DeliveryService(CamelContext camelContext, Clock clock) {
        this.camelContext = camelContext;
        this.settings = Settings.of(camelContext);
        this.clock = clock;
    }

    /** The engine of this context; the scheduler and the outbox are there once it has started. */
    DeliveryEngine engine() {
        return engine;
    }

    /**
     * Keeps a delivery: on disk in the outbox (or in memory, for one that says so) before the future completes,
     * then delivered from there. Fails when it cannot be kept: its destination's outbox is full, the disk refused it.
     */
    CompletableFuture<Void> keep(Delivery delivery) {
        return keep(delivery, false);
    }

    /**
     * Delivers while the caller waits: held in memory (not in the outbox), the future completes once the receiver
     * took it or it was dead-lettered (on disk, as any dead letter). For a caller whose input keeps the message
     * until then: a Kafka record whose offset is committed afterwards.
     */
    CompletableFuture<Void> deliver(Delivery delivery) {
        return keep(delivery, true);
    }

    private CompletableFuture<Void> keep(Delivery delivery, boolean awaitOutcome) {
        if (!running) {
            return CompletableFuture.failedFuture(new IllegalStateException("the router is stopping"));
        }
        DeliveryEngine.Admission admission = engine.admit(delivery, awaitOutcome || delivery.memoryOnly());
        if (admission.refusal() != null) {
            return CompletableFuture.failedFuture(new OutboxFullException(admission.refusal()));
        }
        if (!admission.accepted()) {
            return onCallbackThread(admission.already());
        }
        gauge(delivery.destination());
        DeliveryEngine.Entry entry = admission.entry();
        if (entry.held() != null) {
            engine.kept(entry, null);
            entry.kept().complete(null);
            wake();
            return awaitOutcome ? onCallbackThread(entry.settled()) : entry.kept();
        }
        outbox.keep(delivery).whenComplete((location, failure) -> {
            if (failure == null) {
                engine.kept(entry, location);
                entry.kept().complete(null);
                if (holdingForDisk && engine.heldForDisk().isEmpty()) {
                    holdingForDisk = false;
                    LOG.info("Deliveries are kept in the outbox on disk again");
                }
            } else if (engine.heldInstead(entry, delivery)) {
                heldSince(failure);
                entry.kept().complete(null);
            } else {
                engine.notKept(entry);
                entry.kept().completeExceptionally(failure);
            }
            wake();
        });
        return onCallbackThread(entry.kept());
    }

    /** The outbox's disk refused a delivery, which is held in memory instead: said once, until all are on disk. */
    private void heldSince(Throwable failure) {
        if (!holdingForDisk) {
            holdingForDisk = true;
            LOG.error("Deliveries are held in memory, not in the outbox: its disk refuses them ({}). They are posted as"
                    + " usual and written to the outbox once it takes writes again; a crash meanwhile would lose"
                    + " them. /observe/health is DOWN until then.", LogText.of(String.valueOf(failure.getMessage())));
        }
    }

    /** Deliveries held in memory because the outbox's disk refused them, written to it once it takes writes. */
    private void writeHeldToDisk() {
        List<DeliveryEngine.Entry> held = engine.heldForDisk();
        if (held.isEmpty()) {
            return;
        }
        for (DeliveryEngine.Entry entry : held) {
            try {
                SegmentLog.Location at = outbox.keep(entry.held()).get(settings.recoverIntervalMillis(),
                        TimeUnit.MILLISECONDS);
                if (!engine.storedNow(entry, at)) {
                    outbox.done(entry.id(), at, "delivered");
                }
            } catch (ExecutionException | TimeoutException e) {
                return; // the disk still refuses: at the next round
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (engine.heldForDisk().isEmpty()) {
            holdingForDisk = false;
            LOG.info("Deliveries are kept in the outbox on disk again: the {} held in memory are written", held.size());
        }
    }

    /** A delivery's outbox is full: its destination has not taken what waits for it. */
    static final class OutboxFullException extends IllegalStateException {

        OutboxFullException(String message) {
            super(message);
        }
    }

    /** What waits, per lane, for health and metrics. */
    List<DeliveryEngine.LaneStatus> status() {
        return engine == null ? List.of() : engine.status();
    }

    /**
     * The route goes on off the outbox's writer thread, whose next batch must not wait for it (the rest of a
     * route may write a file of its own).
     */
    private CompletableFuture<Void> onCallbackThread(CompletableFuture<Void> kept) {
        return kept.whenCompleteAsync((done, failure) -> { }, keptCallbacks);
    }

    @Override
    protected void doStart() {
        engine = new DeliveryEngine(clock, this::destination, settings.maxMemoryHeld());
        outbox = Outbox.open(settings.dataDirectory().resolve("outbox"),
                settings.dataDirectory().resolve("dead-letter"), engine);
        for (DeliveryEngine.LaneStatus lane : engine.status()) {
            gauge(lane.destination());
        }
        RouterMeters.gauge("chat.outbox.depth", "Deliveries waiting in the outbox (all destinations)", engine::size);
        RouterMeters.gauge("chat.dead.letters", "Dead letters in the data directory", outbox::deadLetterCount);
        RouterMeters.gauge("chat.deliveries.in.memory", "Deliveries kept in memory only, not on disk",
                engine::memoryHeld);
        transport = new HttpTransport(CamelContextHelper.findSingleByType(camelContext, Vertx.class),
                settings.connectTimeoutMillis(), settings.responseTimeoutMillis(), MAX_ANSWER_BYTES);
        deadLetterWriter = Executors.newSingleThreadExecutor(named("dead-letters"));
        keptCallbacks = Executors.newFixedThreadPool(2, named("outbox-kept"));
        HealthCheckRegistry health = HealthCheckRegistry.get(camelContext);
        if (health != null) {
            DeliveryHealthCheck check = new DeliveryHealthCheck(this::status, () -> engine.heldForDisk().size(),
                    outbox::lastFailure);
            check.setCamelContext(camelContext);
            health.register(check);
        }
        running = true;
        scheduler = new Thread(this::schedule, "deliveries");
        scheduler.setDaemon(true);
        scheduler.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        wake();
        if (scheduler != null) {
            scheduler.join(STOP_WAIT_MILLIS);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        while (posting.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // the posts in flight report on Vert.x threads; their outcome is written below
        }
        if (engine != null && engine.memoryHeld() > 0) {
            LOG.warn("{} deliveries kept in memory only (upstream.after.keep=memory) were not delivered before the stop",
                    engine.memoryHeld());
        }
        shutdown(deadLetterWriter);
        shutdown(keptCallbacks);
        if (transport != null) {
            transport.close();
        }
        if (outbox != null) {
            outbox.close();
        }
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        if (executor != null) {
            executor.shutdown();
            executor.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The scheduler: starts what may start, then sleeps until the next thing is due or something happens. */
    private void schedule() {
        while (running) {
            try {
                recoverWhenDue();
                DeliveryEngine.Work work = engine.dispatch();
                for (DeliveryEngine.Action action : work.actions()) {
                    carryOut(action);
                }
                long wait = work.nextWakeMillis() == Long.MAX_VALUE ? settings.recoverIntervalMillis()
                        : work.nextWakeMillis() - clock.millis();
                sleep(Math.min(Math.max(wait, 0), Math.max(1, nextRecovery - clock.millis())));
            } catch (RuntimeException e) {
                LOG.error("The delivery scheduler failed; it goes on: {}", LogText.of(e.toString()));
                sleep(1000);
            }
        }
    }

    private void sleep(long millis) {
        synchronized (wakeUp) {
            if (!woken && millis > 0 && running) {
                try {
                    wakeUp.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            woken = false;
        }
    }

    private void wake() {
        synchronized (wakeUp) {
            woken = true;
            wakeUp.notifyAll();
        }
    }

    /**
     * Every recover interval: what the outbox's disk refused is written to it, if it takes writes again, and
     * deliveries dropped into the outbox as files of their own (replay) join the log.
     */
    private void recoverWhenDue() {
        long now = clock.millis();
        if (now < nextRecovery) {
            return;
        }
        nextRecovery = now + settings.recoverIntervalMillis();
        writeHeldToDisk();
        for (Object dropped : outbox.dropped()) {
            Delivery delivery = (Delivery) dropped;
            keep(delivery).whenComplete((kept, failure) -> {
                if (failure == null) {
                    outbox.taken(delivery);
                } else {
                    LOG.warn("Delivery {} dropped in the outbox could not be taken yet: {}", delivery.id(),
                            LogText.of(failure.getMessage()));
                }
            });
        }
    }

    private void carryOut(DeliveryEngine.Action action) {
        if (action instanceof DeliveryEngine.Post post) {
            post(post);
        } else if (action instanceof DeliveryEngine.Bury bury) {
            try {
                deadLetterWriter.execute(() -> bury(bury));
            } catch (RejectedExecutionException stopping) {
                // the router stops: the delivery stays in the outbox, and is given up on again at the next start
            }
        } else {
            done(action.entry(), "delivered");
        }
    }

    private void post(DeliveryEngine.Post post) {
        DeliveryEngine.Entry entry = post.entry();
        Delivery delivery;
        Receiver.Request request;
        try {
            delivery = load(entry);
        } catch (Exception e) {
            LOG.error("Delivery {} cannot be read from the outbox ({}); it is given up", entry.id(),
                    LogText.of(e.toString()));
            report(entry, null, Verdict.refused("cannot be read from the outbox: " + LogText.of(e.toString())));
            return;
        }
        try {
            request = post.receiver().format(delivery, clock.instant());
        } catch (RuntimeException e) {
            // its destination cannot be posted to (a channel no longer declared): a dead letter, replayable later
            report(entry, delivery, Verdict.refused("cannot be posted: " + LogText.of(e.getMessage())));
            return;
        }
        posting.incrementAndGet();
        transport.post(request, outcome -> {
            posting.decrementAndGet();
            Verdict verdict = outcome.answer() != null ? post.receiver().judge(outcome.answer())
                    : post.receiver().unreachable(outcome.failure(), outcome.sent());
            report(entry, delivery, verdict);
        });
    }

    private void report(DeliveryEngine.Entry entry, Delivery delivery, Verdict verdict) {
        if (delivery != null && delivery.alarm()) {
            // where an alarm went, attempt by attempt, in the receiver's own words (a channel's post is rare: paced)
            LOG.info("Delivery {} to {} ({}): {}, {}", entry.id(), entry.destination(), delivery.subject(),
                    verdict.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '), verdict.answer());
        }
        for (DeliveryEngine.Action next : engine.completed(entry, delivery, verdict)) {
            carryOut(next);
        }
        wake();
    }

    private void bury(DeliveryEngine.Bury bury) {
        DeliveryEngine.Entry entry = bury.entry();
        Delivery delivery;
        try {
            delivery = load(entry);
        } catch (Exception e) {
            LOG.error("Delivery {} to {} failed ({}) and cannot be read to be dead-lettered: {}", entry.id(),
                    entry.destination(), bury.reason(), LogText.of(e.toString()));
            engine.buried(entry);
            done(entry, "dead-lettered");
            return;
        }
        if (entry.memoryOnly()) {
            LOG.error("Delivery {} to {} ({}) dropped, kept in memory only: {}", entry.id(), entry.destination(),
                    delivery.subject(), bury.reason());
            engine.buried(entry);
            entry.settled().complete(null);
            return;
        }
        try {
            outbox.bury(new DeadLetter(entry.id(), entry.destination(), bury.reason(), delivery, bury.attempts()));
        } catch (RuntimeException e) {
            LOG.error("Delivery {} to {} ({}) failed ({}) and could not be dead-lettered: {}. It stays in the outbox"
                    + " and is given up on again in {} ms.", entry.id(), entry.destination(), delivery.subject(),
                    bury.reason(), LogText.of(e.getMessage()), settings.recoverIntervalMillis());
            engine.unburied(entry, settings.recoverIntervalMillis());
            wake();
            return;
        }
        LOG.error("Delivery {} to {} ({}) dead-lettered: {}", entry.id(), entry.destination(), delivery.subject(),
                bury.reason());
        engine.buried(entry);
        done(entry, "dead-lettered");
    }

    /** Delivered or dead-lettered: out of the outbox, and whoever waits for it is told. */
    private void done(DeliveryEngine.Entry entry, String outcome) {
        if (entry.stored() != null) {
            outbox.done(entry, outcome);
        }
        entry.settled().complete(null);
    }

    private Delivery load(DeliveryEngine.Entry entry) throws Exception {
        return entry.held() != null ? entry.held() : outbox.load(entry.stored());
    }

    /** The destination of this name ({@code slack:oncall} is one of {@code slack}'s), from the route files' beans. */
    private Destination destination(String name) {
        String kind = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        Destination destination = destinations.get(kind);
        if (destination == null) {
            for (Destination declared : camelContext.getRegistry().findByType(Destination.class)) {
                destinations.putIfAbsent(declared.getName(), declared);
            }
            destination = destinations.get(kind);
        }
        if (destination == null) {
            throw new IllegalArgumentException("no destination named '" + kind + "' is declared (a Destination bean"
                    + " in the route files); known: " + String.join(", ", destinations.keySet()));
        }
        return destination;
    }

    /** Gauges of one destination: how many wait, since when, and whether it fails. */
    private void gauge(String destination) {
        if (!gauged.add(destination)) {
            return;
        }
        RouterMeters.gauge("chat.destination.queued", destination, "Deliveries waiting for a destination",
                () -> lanes(destination).stream().mapToInt(DeliveryEngine.LaneStatus::queued).sum());
        RouterMeters.gauge("chat.destination.oldest.age.seconds", destination,
                "Age in seconds of the oldest delivery waiting for a destination",
                () -> lanes(destination).stream().mapToLong(DeliveryEngine.LaneStatus::oldestAgeMillis).max()
                        .orElse(0) / 1000.0);
        RouterMeters.gauge("chat.destination.next.post.seconds", destination,
                "Seconds until a destination's next post may start (its pacing, such as a robot's 20 a minute, or a"
                        + " backoff); 0 while it may post now or nothing waits",
                () -> lanes(destination).stream().mapToLong(DeliveryEngine.LaneStatus::nextPostInMillis).min()
                        .orElse(0) / 1000.0);
        RouterMeters.gauge("chat.destination.failing", destination,
                "1 while a destination fails or refuses every delivery, else 0",
                () -> lanes(destination).stream().anyMatch(DeliveryEngine.LaneStatus::failing) ? 1 : 0);
    }

    private List<DeliveryEngine.LaneStatus> lanes(String destination) {
        return status().stream().filter(lane -> lane.destination().equals(destination)).toList();
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
