package io.github.chatcallbackrouter.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The figures side by side, as markdown for people and JSON for tools, with the targets: each server on one core,
 * the router against the bare Vert.x server (what this machine can do) and against Alertmanager (what users would
 * run instead).
 */
final class Report {

    /** What was measured on one server; {@code rounds} at saturation, taken in turns with the other servers. */
    record Server(String name, double startupMillis, List<Saturation> rounds, LoadGenerator.Result fixedRate,
            double cpuMicrosAtFixedRate, Optional<Double> peakRssMb) {

        /** The median round. */
        Saturation saturation() {
            return Saturation.medianOf(rounds);
        }

        long nonOk() {
            return saturation().nonOk() + fixedRate.nonOkCount();
        }
    }

    /** One target of the benchmark and whether this run met it; null when it could not be measured. */
    record Target(String target, String figure, Boolean met) {
    }

    private final Machine machine;
    private final Settings settings;
    private final List<String> jvmOptions;
    private final Server router;
    private final Server bare;
    private final Optional<Server> alertmanager;
    private final Optional<String> alertmanagerVersion;
    private final AlertLatency.Result alerts;
    private final RelayPhase.Result relay;
    private final BurstPhase.Result burst;
    private final DeliveryPhase.Result deliveries;
    private final String loadBefore;
    private final String loadAfter;

    Report(Machine machine, Settings settings, List<String> jvmOptions, Server router, Server bare,
            Optional<Server> alertmanager, Optional<String> alertmanagerVersion, AlertLatency.Result alerts,
            RelayPhase.Result relay, BurstPhase.Result burst, DeliveryPhase.Result deliveries, String loadBefore,
            String loadAfter) {
        this.machine = machine;
        this.settings = settings;
        this.jvmOptions = jvmOptions;
        this.router = router;
        this.bare = bare;
        this.alertmanager = alertmanager;
        this.alertmanagerVersion = alertmanagerVersion;
        this.alerts = alerts;
        this.relay = relay;
        this.burst = burst;
        this.deliveries = deliveries;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
    }

    /** Router / Alertmanager throughput at saturation; NaN without Alertmanager. */
    double throughputVsAlertmanager() {
        return alertmanager.map(am -> router.saturation().okPerSecond() / am.saturation().okPerSecond())
                .orElse(Double.NaN);
    }

    /** Router / bare CPU time per request at saturation. */
    double cpuVsBare() {
        return router.saturation().cpuMicrosPerRequest() / bare.saturation().cpuMicrosPerRequest();
    }

    List<Target> targets() {
        LoadGenerator.Result fixed = router.fixedRate();
        double p99 = fixed.latencies().percentileMillis(0.99);
        double alertMedian = alerts.latencies().percentileMillis(0.5);
        double rss = router.peakRssMb().orElse(Double.NaN);
        return List.of(
                new Target("throughput ≥ 2 × Alertmanager's", alertmanager.isEmpty()
                        ? "Alertmanager not installed" : ratio(throughputVsAlertmanager()) + " ×",
                        alertmanager.isEmpty() ? null : throughputVsAlertmanager() >= 2),
                new Target("CPU per callback ≤ 2 × the bare server's", ratio(cpuVsBare()) + " ×", cpuVsBare() <= 2),
                new Target("p99 at " + settings.rate() + " req/s < 2 ms", ms(p99) + " ms"
                        + (fixed.nonOkCount() > 0 ? " and " + fixed.nonOkCount() + " non-OK answers" : ""),
                        p99 < 2 && fixed.nonOkCount() == 0),
                new Target("alert→Slack median ≤ 15 ms", ms(alertMedian) + " ms"
                        + (alerts.missing() > 0 ? " and " + alerts.missing() + " posts missing" : ""),
                        alertMedian <= 15 && alerts.missing() == 0 && alerts.nonOk().isEmpty()),
                new Target("start-up to first answer < 1000 ms", ms0(router.startupMillis()) + " ms",
                        router.startupMillis() < 1000),
                new Target("peak RSS under load < 200 MB", mb(rss) + " MB", rss < 200),
                new Target("relayed Before-callbacks at " + relay.relayRate() + " req/s: p99 added to the backend's"
                        + " own < 5 ms", ms(relay.addedP99Millis()) + " ms"
                        + (relay.relayed().nonOkCount() > 0 ? " and " + relay.relayed().nonOkCount() + " non-OK" : ""),
                        relay.addedP99Millis() < 5 && relay.relayed().nonOkCount() == 0),
                new Target(BurstPhase.STATE + " relayed beside " + burst.waiting() + " Before-callbacks waiting on a "
                        + burst.upstreamDelayMillis() + " ms backend: p99 < 50 ms",
                        ms(burst.stateBeside().latencies().percentileMillis(0.99)) + " ms"
                        + (burst.stateBeside().nonOkCount() > 0 ? " and " + burst.stateBeside().nonOkCount()
                        + " non-OK" : ""),
                        burst.stateBeside().latencies().percentileMillis(0.99) < 50
                                && burst.stateBeside().nonOkCount() == 0),
                new Target("no thread per relay in flight", relay.threadsIdle() + " threads idle, "
                        + relay.threadsRelaying() + " relaying", relay.threadsRelaying() - relay.threadsIdle() < 20),
                new Target("deliveries keep pace with " + deliveries.rate() + " After-callbacks/s for "
                        + ms0(deliveries.loadSeconds()) + " s: the outbox empty within 5 s of the load's end",
                        ms0(deliveries.deliveredPerSecond()) + " delivered/s, empty after "
                                + String.format(Locale.ROOT, "%.1f", deliveries.drainSeconds()) + " s"
                                + (deliveries.ingest().nonOkCount() > 0 ? ", " + deliveries.ingest().nonOkCount()
                                        + " non-OK" : ""),
                        deliveries.drainSeconds() <= 5 && deliveries.ingest().nonOkCount() == 0));
    }

    String markdown() {
        List<Server> servers = new ArrayList<>(List.of(router, bare));
        alertmanager.ifPresent(servers::add);
        String am = alertmanager.isPresent() ? " | router / Alertmanager" : "";
        StringBuilder md = new StringBuilder();
        md.append("# chat-callback-router benchmark\n\n");
        md.append("- date: ").append(machine.date()).append("; commit: ").append(machine.commit()).append('\n');
        md.append("- machine: ").append(machine.cpus()).append(" CPUs (").append(machine.cpuModel()).append("), ")
                .append(machine.memory()).append(" memory, ").append(machine.os()).append('\n');
        md.append("- load average (1/5/15 min) before the run: ").append(loadBefore).append("; after: ")
                .append(loadAfter).append(" (other work on the machine makes the figures worse)\n");
        md.append("- java: ").append(machine.java()).append('\n');
        md.append("- JVM options of the router and the bare server (the repository's jvm.options): ")
                .append(jvmOptions.isEmpty() ? "none (no jvm.options)" : String.join(" ", jvmOptions))
                .append(settings.routerExtraJvmArgs().isEmpty() ? ""
                        : "; the router also got BENCH_ROUTER_JVM_ARGS: "
                                + String.join(" ", settings.routerExtraJvmArgs()) + " (not the shipped setting)")
                .append('\n');
        md.append("- Alertmanager: ").append(alertmanagerVersion.orElse("not installed (Debian's"
                + " prometheus-alertmanager adds its column)")).append('\n');
        md.append("- saturation load by ").append(router.saturation().generator()).append(", pinned as below\n\n");
        String cpus = System.getenv("BENCH_SERVER_CPUS");
        md.append(cpus == null ? "The servers shared the CPUs with the load generator (no taskset, or one CPU): these"
                + " are not one core's figures, and the generator's own work is in them.\n\n"
                : "Each server measured alone on CPU " + cpus + ", the load generator on the others:\n\n");
        md.append("| measure | router | bare Vert.x").append(alertmanager.isPresent() ? " | Alertmanager" : "")
                .append(" | router / bare").append(am).append(" |\n");
        md.append("| --- | ---: | ---: |").append(alertmanager.isPresent() ? " ---: | ---: |" : "").append(" ---: |\n");
        row(md, servers, "throughput at saturation (req/s, " + settings.connections() + " connections)",
                s -> s.saturation().okPerSecond(), Report::rps);
        row(md, servers, "CPU per request at saturation (µs, user + system)",
                s -> s.saturation().cpuMicrosPerRequest(), Report::micros);
        row(md, servers, "p50 at saturation (ms)", s -> s.saturation().p50Millis(), Report::ms);
        row(md, servers, "p99 at saturation (ms)", s -> s.saturation().p99Millis(), Report::ms);
        row(md, servers, "CPU per request at " + settings.rate() + " req/s (µs)", Server::cpuMicrosAtFixedRate,
                Report::micros);
        row(md, servers, "p50 at " + settings.rate() + " req/s (ms)",
                s -> s.fixedRate().latencies().percentileMillis(0.5), Report::ms);
        row(md, servers, "p99 at " + settings.rate() + " req/s (ms)",
                s -> s.fixedRate().latencies().percentileMillis(0.99), Report::ms);
        row(md, servers, "start-up to first OK answer (ms)", Server::startupMillis, Report::ms0);
        row(md, servers, "peak RSS, VmHWM after the load (MB)", s -> s.peakRssMb().orElse(Double.NaN), Report::mb);
        row(md, servers, "non-OK answers (saturation + " + settings.rate() + " req/s)", s -> (double) s.nonOk(),
                Report::ms0);
        md.append("\nAt saturation, each server's median of ").append(settings.rounds())
                .append(" rounds taken in turns; round by round, router / bare CPU per request ")
                .append(perRound(bare, Saturation::cpuMicrosPerRequest));
        alertmanager.ifPresent(other -> md.append(", router / Alertmanager throughput ")
                .append(perRound(other, Saturation::okPerSecond)));
        md.append(".\n");
        md.append("\nAlert to Slack (the router): median ").append(ms(alerts.latencies().percentileMillis(0.5)))
                .append(" ms, p99 ").append(ms(alerts.latencies().percentileMillis(0.99))).append(" ms over ")
                .append(alerts.latencies().count()).append(" alarms.\n");
        md.append("\n## In front of the app's backend\n\n")
                .append("A second router, with `UPSTREAM_CALLBACK_URL` set and `UPSTREAM_COMMANDS=")
                .append(SignedCallbacks.BEFORE).append("`, in front of a fake backend that answers after ")
                .append(relay.upstreamDelayMillis()).append(" ms; open loop, latency from the intended send time.\n\n")
                .append("| measure | p50 (ms) | p99 (ms) | max (ms) | non-OK |\n| --- | ---: | ---: | ---: | ---: |\n");
        relayRow(md, relay.relayRate() + " req/s " + SignedCallbacks.BEFORE + " to the backend directly",
                relay.upstreamAlone());
        relayRow(md, relay.relayRate() + " req/s " + SignedCallbacks.BEFORE + ", relayed", relay.relayed());
        relayRow(md, relay.otherRate() + " req/s other callbacks, alone", relay.othersAlone());
        relayRow(md, relay.otherRate() + " req/s other callbacks, beside the relays", relay.othersBeside());
        md.append("\nThe router's threads: ").append(relay.threadsIdle()).append(" before, ")
                .append(relay.threadsRelaying()).append(" while the relays ran (about ")
                .append(relay.relayRate() * relay.upstreamDelayMillis() / 1000).append(" in flight at any time); the"
                        + " backend answered ").append(relay.upstreamAnswered()).append(" relays.\n");
        md.append("\n## A burst of Before-callbacks\n\n")
                .append("A router relays `").append(SignedCallbacks.BEFORE).append("` and `").append(BurstPhase.STATE)
                .append("` to a backend that answers after ").append(burst.upstreamDelayMillis()).append(" ms: ")
                .append(burst.beforeRate()).append(" Before-callbacks a second, so ").append(burst.waiting())
                .append(" waiting at any time, and ").append(burst.stateRate()).append(" `").append(BurstPhase.STATE)
                .append("` a second, each kept in the outbox before its OK.\n\n")
                .append("| measure | p50 (ms) | p99 (ms) | max (ms) | non-OK |\n| --- | ---: | ---: | ---: | ---: |\n");
        relayRow(md, burst.stateRate() + " req/s " + BurstPhase.STATE + ", alone", burst.stateAlone());
        relayRow(md, burst.stateRate() + " req/s " + BurstPhase.STATE + ", beside the burst", burst.stateBeside());
        relayRow(md, burst.beforeRate() + " req/s " + SignedCallbacks.BEFORE + ", relayed", burst.before());
        md.append("\n## Deliveries to the app's backend\n\n")
                .append("A third router relays every `").append(DeliveryPhase.AFTER).append("` to a backend that answers"
                        + " after 1 ms: each is in the outbox on disk (group commit) before Chat hears OK, then posted"
                        + " from there. ").append(deliveries.rate()).append(" callbacks a second for ")
                .append(ms0(deliveries.loadSeconds())).append(" s, open loop.\n\n")
                .append("| measure | this run |\n| --- | ---: |\n");
        row(md, "callbacks answered OK (non-OK)", deliveries.ingest().ok() + " (" + deliveries.ingest().nonOkCount()
                + ")");
        row(md, "ingest p50 / p99 / max (ms)", ms(deliveries.ingest().latencies().percentileMillis(0.5)) + " / "
                + ms(deliveries.ingest().latencies().percentileMillis(0.99)) + " / "
                + ms(deliveries.ingest().latencies().maxMillis()));
        row(md, "delivered to the backend during the load (per second)", ms0(deliveries.deliveredPerSecond()));
        row(md, "outbox at its deepest (chat_outbox_depth, every 250 ms)", String.valueOf(deliveries.maxDepth()));
        row(md, "outbox empty after the load's end (s)", String.format(Locale.ROOT, "%.1f", deliveries.drainSeconds()));
        row(md, "router CPU per callback, ingest and delivery (µs)", micros(deliveries.cpuMicrosPerCallback()));
        md.append("\n## Targets\n\n| target | this run | |\n| --- | ---: | --- |\n");
        for (Target target : targets()) {
            row(md, target.target(), target.figure(),
                    target.met() == null ? "not measured" : target.met() ? "met" : "**not met**");
        }
        servers.forEach(server -> appendNonOk(md, server));
        md.append("\n## How it was measured\n\n");
        md.append("- Each server was measured alone: the servers started and warmed up one after the other, then"
                + " took turns at saturation, the others idle, so that a slower minute of the machine falls on each"
                + " of them; the fixed rate one after the other")
                .append(cpus == null ? ", sharing the CPUs with the load generator.\n"
                        : ", pinned to one core with taskset; the load generator, the fake Slack and the fake backend"
                                + " in one more JVM pinned to the other cores. A generator that shares the server's"
                                + " cores measures itself as much as the server.\n");
        md.append("- The router as users run it (`java @jvm.options -jar target/chat-callback-router.jar` from the"
                + " checkout, with its application.properties, routes/ and class-data archive; only the data"
                + " directory is the benchmark's), with the Sign check on and Slack pointed at the benchmark's fake"
                + " Slack. The bare server: Vert.x reading the body and giving the same answer, same JVM and options:"
                + " what this machine can do. Alertmanager: alone (no cluster), one receiver that sends nowhere,"
                + " ingesting the equivalent alert (one over-limit alarm as labels and annotations per"
                + " `POST /api/v2/alerts`).\n");
        md.append("- Load on the router and the bare server: real signed callbacks (Sign = sha256(token +"
                + " RequestTime), signed afresh for each run) built from the samples, mix: ")
                .append(SignedCallbacks.mixDescription()).append(". No alarms: the router journals each with fsync"
                        + " before it answers, so alarms at saturation would measure the disk.\n");
        md.append("- Saturation: ").append(router.saturation().generator()).append(", closed loop over ")
                .append(settings.connections()).append(" keep-alive connections; ")
                .append(settings.warmUp().toSeconds()).append(" s warm-up (the JIT), then ")
                .append(settings.rounds()).append(" rounds of ").append(settings.measure().toSeconds())
                .append(" s counted, in turns with the other servers; the table gives the median round. ")
                .append(router.saturation().generator().startsWith("wrk")
                        ? "wrk counts answers that are not 2xx; the bodies are checked in the fixed-rate phase.\n"
                        : "Only the expected answer counts.\n");
        md.append("- CPU per request: the server's CPU time (user + system of all its threads, /proc/PID/stat)"
                + " over the requests it answered in the counted part; at ").append(settings.rate())
                .append(" req/s over the requests sent, warm-up included. Noise on the machine barely moves it;"
                        + " throughput and latency move with it.\n");
        md.append("- ").append(settings.rate()).append(" req/s: the Java generator, open loop over up to ")
                .append(settings.rateConnections()).append(" connections, requests sent on a fixed schedule whatever"
                        + " the server does; latency from the intended send time (no coordinated omission); every"
                        + " answer's body checked; ")
                .append(settings.rateWarmUp().toSeconds()).append(" s warm-up, then ")
                .append(settings.measure().toSeconds()).append(" s counted. The generator's own send lag (p99): ")
                .append(String.join(", ", servers.stream().map(s -> s.name() + " run "
                        + ms(s.fixedRate().sendLag().percentileMillis(0.99)) + " ms").toList()))
                .append(" (included in the latencies).\n");
        md.append("- Start-up: from spawning the process to the first OK answer, polled every 10 ms. Peak RSS: VmHWM"
                + " of /proc/PID/status after the load.\n");
        md.append("- Alert→Slack: ").append(alerts.counted()).append(" over-limit alarms (after ")
                .append(alerts.warmUp()).append(" not counted, for the JIT: the saturation's mix has no alarm; the"
                        + " very first, cold, took ")
                .append(ms(alerts.firstColdMillis())).append(" ms), each with its own ServiceName/Command so none is"
                        + " folded, one at a time, the next sent ").append(alerts.spacingMillis())
                .append(" ms after the previous post arrived, with SLACK_MIN_INTERVAL_MS=")
                .append(settings.slackMinIntervalMillis()).append(" so the router's pacing delays none; time from"
                        + " sending the callback to the fake Slack receiving the post (includes the alarm's fsyncs).\n");
        return md.toString();
    }

    JsonObject json() {
        JsonArray targets = new JsonArray();
        targets().forEach(t -> targets.add(new JsonObject()
                .put("target", t.target()).put("figure", t.figure()).put("met", t.met())));
        JsonObject json = new JsonObject()
                .put("date", machine.date())
                .put("commit", machine.commit())
                .put("loadAverageBefore", loadBefore)
                .put("loadAverageAfter", loadAfter)
                .put("machine", new JsonObject()
                        .put("cpus", machine.cpus()).put("cpuModel", machine.cpuModel())
                        .put("memory", machine.memory()).put("os", machine.os()).put("java", machine.java()))
                .put("jvmOptions", new JsonArray(new ArrayList<>(jvmOptions)))
                .put("serverCpus", System.getenv("BENCH_SERVER_CPUS"))
                .put("settings", new JsonObject()
                        .put("warmUpSeconds", settings.warmUp().toSeconds())
                        .put("measureSeconds", settings.measure().toSeconds())
                        .put("rounds", settings.rounds())
                        .put("connections", settings.connections())
                        .put("rate", settings.rate())
                        .put("rateConnections", settings.rateConnections())
                        .put("rateWarmUpSeconds", settings.rateWarmUp().toSeconds())
                        .put("slackMinIntervalMs", settings.slackMinIntervalMillis())
                        .put("routerExtraJvmArgs", new JsonArray(new ArrayList<>(settings.routerExtraJvmArgs())))
                        .put("mix", SignedCallbacks.mixDescription()))
                .put("router", server(router).put("alertToSlack", new JsonObject()
                        .put("alarms", alerts.latencies().count())
                        .put("warmUpAlarms", alerts.warmUp())
                        .put("missing", alerts.missing())
                        .put("nonOkAnswers", counts(alerts.nonOk()))
                        .put("spacingMs", alerts.spacingMillis())
                        .put("firstColdMs", number(alerts.firstColdMillis()))
                        .put("p50Ms", number(alerts.latencies().percentileMillis(0.5)))
                        .put("p99Ms", number(alerts.latencies().percentileMillis(0.99)))
                        .put("maxMs", number(alerts.latencies().maxMillis()))))
                .put("bare", server(bare))
                .put("burst", new JsonObject()
                        .put("upstreamDelayMs", burst.upstreamDelayMillis())
                        .put("stateAlone", phase(burst.stateAlone()))
                        .put("stateBeside", phase(burst.stateBeside()))
                        .put("before", phase(burst.before())))
                .put("relay", new JsonObject()
                        .put("upstreamDelayMs", relay.upstreamDelayMillis())
                        .put("upstreamAlone", phase(relay.upstreamAlone()))
                        .put("relayed", phase(relay.relayed()))
                        .put("othersAlone", phase(relay.othersAlone()))
                        .put("othersBeside", phase(relay.othersBeside()))
                        .put("addedP99Ms", number(relay.addedP99Millis()))
                        .put("threadsIdle", relay.threadsIdle())
                        .put("threadsRelaying", relay.threadsRelaying()))
                .put("deliveries", new JsonObject()
                        .put("rate", deliveries.rate())
                        .put("loadSeconds", deliveries.loadSeconds())
                        .put("ingest", phase(deliveries.ingest()))
                        .put("deliveredPerSecond", number(deliveries.deliveredPerSecond()))
                        .put("maxOutboxDepth", deliveries.maxDepth())
                        .put("emptyAfterSeconds", number(deliveries.drainSeconds()))
                        .put("cpuMicrosPerCallback", number(deliveries.cpuMicrosPerCallback())))
                .put("cpuPerRequestRouterOverBare", number(cpuVsBare()))
                .put("throughputRouterOverAlertmanager", number(throughputVsAlertmanager()))
                .put("targets", targets);
        alertmanager.ifPresent(am -> json.put("alertmanager", server(am).put("version", alertmanagerVersion.get())));
        return json;
    }

    private static JsonObject server(Server server) {
        Saturation saturation = server.saturation();
        return new JsonObject()
                .put("startupMs", number(server.startupMillis()))
                .put("peakRssMb", number(server.peakRssMb().orElse(Double.NaN)))
                .put("saturation", new JsonObject()
                        .put("generator", saturation.generator())
                        .put("connections", saturation.connections())
                        .put("rounds", server.rounds().size())
                        .put("seconds", saturation.seconds())
                        .put("ok", saturation.ok())
                        .put("okPerSecond", number(saturation.okPerSecond()))
                        .put("nonOk", saturation.nonOk())
                        .put("nonOkDetail", saturation.nonOkDetail())
                        .put("p50Ms", number(saturation.p50Millis()))
                        .put("p99Ms", number(saturation.p99Millis()))
                        .put("cpuMicrosPerRequest", number(saturation.cpuMicrosPerRequest()))
                        .put("okPerSecondByRound", new JsonArray(server.rounds().stream()
                                .map(round -> (Object) number(round.okPerSecond())).toList()))
                        .put("cpuMicrosPerRequestByRound", new JsonArray(server.rounds().stream()
                                .map(round -> (Object) number(round.cpuMicrosPerRequest())).toList())))
                .put("fixedRate", phase(server.fixedRate())
                        .put("cpuMicrosPerRequest", number(server.cpuMicrosAtFixedRate())));
    }

    private static JsonObject phase(LoadGenerator.Result result) {
        JsonObject phase = new JsonObject()
                .put("connections", result.connections())
                .put("seconds", result.seconds())
                .put("ok", result.ok())
                .put("okPerSecond", number(result.okPerSecond()))
                .put("nonOk", result.nonOkCount())
                .put("nonOkAnswers", counts(result.nonOk()))
                .put("p50Ms", number(result.latencies().percentileMillis(0.5)))
                .put("p99Ms", number(result.latencies().percentileMillis(0.99)))
                .put("maxMs", number(result.latencies().maxMillis()));
        if (result.sendLag() != null) {
            phase.put("sent", result.sent()).put("sendLagP99Ms", number(result.sendLag().percentileMillis(0.99)));
        }
        return phase;
    }

    private static JsonObject counts(Map<String, Long> counts) {
        JsonObject json = new JsonObject();
        counts.forEach(json::put);
        return json;
    }

    private static void appendNonOk(StringBuilder md, Server server) {
        if (server.nonOk() == 0) {
            return;
        }
        md.append("\n## Non-OK answers of the ").append(server.name()).append("\n\n");
        if (server.saturation().nonOk() > 0) {
            md.append("- saturation: ").append(server.saturation().nonOkDetail()).append('\n');
        }
        server.fixedRate().nonOk().forEach((what, n) ->
                md.append("- fixed rate: ").append(n).append(" × ").append(what).append('\n'));
    }

    /** One measure for each server, then the router's ratio to each of the others. */
    private static void row(StringBuilder md, List<Server> servers, String measure, ToDoubleFunction<Server> figure,
            DoubleFunction<String> format) {
        List<String> cells = new ArrayList<>(List.of(measure));
        servers.forEach(server -> cells.add(format.apply(figure.applyAsDouble(server))));
        double router = figure.applyAsDouble(servers.get(0));
        servers.subList(1, servers.size()).forEach(other -> cells.add(ratio(router / figure.applyAsDouble(other))));
        row(md, cells.toArray(String[]::new));
    }

    /** The router's figure over the other server's, round by round. */
    private String perRound(Server other, ToDoubleFunction<Saturation> figure) {
        List<String> ratios = new ArrayList<>();
        for (int round = 0; round < Math.min(router.rounds().size(), other.rounds().size()); round++) {
            ratios.add(ratio(figure.applyAsDouble(router.rounds().get(round))
                    / figure.applyAsDouble(other.rounds().get(round))));
        }
        return String.join(", ", ratios);
    }

    private static void relayRow(StringBuilder md, String name, LoadGenerator.Result result) {
        row(md, name, ms(result.latencies().percentileMillis(0.5)), ms(result.latencies().percentileMillis(0.99)),
                ms(result.latencies().maxMillis()), String.valueOf(result.nonOkCount()));
    }

    private static void row(StringBuilder md, String... cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String rps(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String micros(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ms0(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String mb(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static Double number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : Math.round(value * 1000) / 1000.0;
    }
}
