package io.github.chatcallbackrouter.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every meter of the router, named in one place (the Grafana dashboard in docs/ and the README list the same
 * names). They go to Micrometer's global registry, so any runtime that embeds the routes sees them in its own
 * registry; the standalone router adds its Prometheus registry there (App).
 */
public final class RouterMeters {

    /** Callbacks answered, by command word and outcome: {@code accepted} or a refusal label. */
    public static final String CALLBACKS = "chat.callbacks";
    /** Time from the request to the answer Chat gets. */
    public static final String CALLBACK_ACK = "chat.callback.ack";
    /** Alarms classified, by severity and type. */
    public static final String ALERTS = "chat.alerts";
    /** Deliveries (Slack, the app's backend, forwarding rules), by destination and outcome. */
    public static final String DELIVERIES = "chat.deliveries";
    /** Before-callbacks answered, by command word, who decided and what. */
    public static final String DECISIONS = "chat.decisions";
    /** Connections the callback server closed before an answer, by reason. */
    public static final String CONNECTIONS_CLOSED = "chat.http.connections.closed";
    public static final String ALARMS_SILENCED = "chat.alarms.silenced";
    public static final String SILENCES_SKIPPED = "chat.silences.skipped";

    /** Command label of a word outside the catalog: keeps the label set bounded whatever a client sends. */
    public static final String OTHER_COMMAND = "other";

    private static final Duration[] ACK_BUCKETS = {
        Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2)};

    private static final Map<String, Counter> CALLBACK_COUNTERS = new ConcurrentHashMap<>();
    private static final Map<Boolean, Timer> ACK_TIMERS = new ConcurrentHashMap<>();
    private static final Map<String, Counter> DECISION_COUNTERS = new ConcurrentHashMap<>();

    /** Set while a scratch copy of the routes runs (a check, explain, rule tests): it must not count or replace. */
    private static final ThreadLocal<Boolean> OFF_THE_RECORD = ThreadLocal.withInitial(() -> false);

    private RouterMeters() {
    }

    /**
     * Runs work whose callbacks, deliveries and beans are not the running router's: what it would count is not
     * counted, and the gauges its beans declare do not replace the router's. It must run on this thread.
     */
    public static <T> T offTheRecord(Callable<T> work) throws Exception {
        OFF_THE_RECORD.set(true);
        try {
            return work.call();
        } finally {
            OFF_THE_RECORD.remove();
        }
    }

    /**
     * The alert and Slack series at 0 from the start: Prometheus' rate() cannot see the first increment of a series
     * that appears with it, and a first dead letter is the one that matters.
     */
    public static void registerKnownSeries() {
        for (String severity : List.of("warning", "critical")) {
            for (String type : List.of("api-over-limit", "daily-group-quota")) {
                alerts(severity, type);
            }
        }
        for (String destination : List.of("slack", "upstream")) {
            for (String outcome : List.of("delivered", "retried", "rate_limited", "dead_lettered", "dropped")) {
                deliveries(destination, outcome);
            }
        }
        alarmsSilenced();
        for (String reason : List.of("too_many_connections", "header_timeout", "idle_timeout", "body_timeout")) {
            connectionsClosed(reason);
        }
    }

    /** A callback answered: counted by app (a declared one's name, or "unknown"), command word and outcome, and timed. */
    public static void callbackAnswered(String app, String command, String outcome, long startedNanos) {
        if (OFF_THE_RECORD.get()) {
            return;
        }
        // looked up in a map of our own: building and registering a meter per callback cost ~5% of its CPU
        CALLBACK_COUNTERS.computeIfAbsent(app + '\n' + command + '\n' + outcome, key -> Counter.builder(CALLBACKS)
                .description("Callbacks answered, by app, command word and outcome")
                .tags("app", app, "command", command, "outcome", outcome).register(Metrics.globalRegistry)).increment();
        boolean accepted = "accepted".equals(outcome);
        ACK_TIMERS.computeIfAbsent(accepted, ok -> Timer.builder(CALLBACK_ACK)
                .description("Time from the callback request to the router's answer")
                .tag("outcome", ok ? "accepted" : "refused")
                .serviceLevelObjectives(ACK_BUCKETS)
                .register(Metrics.globalRegistry)).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** The events a batched callback (Push.*) carried, by app and command word. */
    public static void batchedEvents(String app, String command, int events) {
        if (OFF_THE_RECORD.get()) {
            return;
        }
        Counter.builder("chat.batched.events").description("Events carried by batched callbacks (Push.*), by app and"
                + " command word").tags("app", app, "command", command).register(Metrics.globalRegistry)
                .increment(events);
    }

    public static void alertClassified(String severity, String type) {
        if (OFF_THE_RECORD.get()) {
            return;
        }
        alerts(severity, type).increment();
    }

    /** A delivery's outcome: delivered, retried, rate_limited, dead_lettered, or dropped (kept in memory only). */
    public static void delivery(String destination, String outcome) {
        if (OFF_THE_RECORD.get()) {
            return;
        }
        deliveries(destination, outcome).increment();
    }

    /** A Before-callback's answer: decided by rule, upstream, fail-policy or nobody; allow, deny, drop, replace... */
    public static void decision(String command, String decidedBy, String decision) {
        if (OFF_THE_RECORD.get()) {
            return;
        }
        DECISION_COUNTERS.computeIfAbsent(command + '\n' + decidedBy + '\n' + decision, key -> Counter
                .builder(DECISIONS).description("Before-callbacks answered, by command word, who decided and what")
                .tags("command", command, "decided_by", decidedBy, "decision", decision)
                .register(Metrics.globalRegistry)).increment();
    }

    /** An alarm a silence matched: recorded, not paged. */
    public static void alarmSilenced() {
        if (OFF_THE_RECORD.get()) {
            return;
        }
        alarmsSilenced().increment();
    }

    /** A silence file that cannot be used was skipped (said once per change of the file). */
    public static void silenceSkipped() {
        if (OFF_THE_RECORD.get()) {
            return;
        }
        Counter.builder(SILENCES_SKIPPED).description("Silence files skipped because they cannot be used")
                .register(Metrics.globalRegistry).increment();
    }

    /** The callback server closed a connection: too many open, or no request within its time. */
    public static void connectionClosed(String reason) {
        if (OFF_THE_RECORD.get()) {
            return;
        }
        connectionsClosed(reason).increment();
    }

    private static Counter alarmsSilenced() {
        return Counter.builder(ALARMS_SILENCED).description("Alarms a silence kept from Slack and forwards")
                .register(Metrics.globalRegistry);
    }

    private static Counter connectionsClosed(String reason) {
        return Counter.builder(CONNECTIONS_CLOSED).description("Connections the callback server closed, by reason")
                .tag("reason", reason).register(Metrics.globalRegistry);
    }

    private static Counter alerts(String severity, String type) {
        return Counter.builder(ALERTS).description("Alarms received, by severity and type")
                .tags("severity", severity, "type", type).register(Metrics.globalRegistry);
    }

    private static Counter deliveries(String destination, String outcome) {
        return Counter.builder(DELIVERIES).description("Deliveries, by destination and outcome")
                .tags("destination", destination, "outcome", outcome).register(Metrics.globalRegistry);
    }

    /** A gauge of one destination (tag {@code destination}), read at each scrape; registered again, it replaces. */
    public static void gauge(String name, String destination, String description, Supplier<Number> value) {
        if (OFF_THE_RECORD.get()) {
            return;
        }
        Meter.Id id = new Meter.Id(name, Tags.of("destination", destination), null, description, Meter.Type.GAUGE);
        Metrics.globalRegistry.remove(id);
        Gauge.builder(name, lastKnown(value)).tag("destination", destination).description(description)
                .strongReference(true).register(Metrics.globalRegistry);
    }

    /**
     * A gauge read at each scrape. Registering the same name again replaces the old one: the newest router
     * (or the YAML bean created last) is the one that counts.
     */
    public static void gauge(String name, String description, Supplier<Number> value) {
        if (OFF_THE_RECORD.get()) {
            return;
        }
        Meter.Id id = new Meter.Id(name, Tags.empty(), null, description, Meter.Type.GAUGE);
        Metrics.globalRegistry.remove(id);
        Gauge.builder(name, lastKnown(value)).description(description).strongReference(true)
                .register(Metrics.globalRegistry);
    }

    /**
     * The value, or the last one read when reading fails (a directory listed while it changes): a scrape always
     * gets a number, never NaN.
     */
    private static Supplier<Number> lastKnown(Supplier<Number> value) {
        double[] last = {0};
        return () -> {
            try {
                last[0] = value.get().doubleValue();
            } catch (RuntimeException e) {
                // the last value stands
            }
            return last[0];
        };
    }
}
