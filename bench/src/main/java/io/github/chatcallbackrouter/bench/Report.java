package io.github.chatcallbackrouter.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The figures side by side, as markdown for people and JSON for tools, with the targets. */
final class Report {

    /** What was measured on one server. */
    record Server(String name, double startupMillis, LoadGenerator.Result saturation,
            LoadGenerator.Result fixedRate, double cpuShareAtFixedRate, double cpuMicrosPerCallback,
            Optional<Double> peakRssMb) {

        long nonOk() {
            return saturation.nonOkCount() + fixedRate.nonOkCount();
        }
    }

    /** One target of the benchmark and whether this run met it. */
    record Target(String target, String figure, boolean met) {
    }

    private final Machine machine;
    private final Settings settings;
    private final List<String> jvmOptions;
    private final Server router;
    private final Server bare;
    private final AlertLatency.Result alerts;
    private final RelayPhase.Result relay;
    private final String loadBefore;
    private final String loadAfter;

    Report(Machine machine, Settings settings, List<String> jvmOptions, Server router, Server bare,
            AlertLatency.Result alerts, RelayPhase.Result relay, String loadBefore, String loadAfter) {
        this.machine = machine;
        this.settings = settings;
        this.jvmOptions = jvmOptions;
        this.router = router;
        this.bare = bare;
        this.alerts = alerts;
        this.relay = relay;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
    }

    double throughputRatio() {
        return router.saturation().okPerSecond() / bare.saturation().okPerSecond();
    }

    List<Target> targets() {
        LoadGenerator.Result fixed = router.fixedRate();
        double p99 = fixed.latencies().percentileMillis(0.99);
        double alertMedian = alerts.latencies().percentileMillis(0.5);
        double rss = router.peakRssMb().orElse(Double.NaN);
        return List.of(
                new Target("throughput router / bare ≥ 0.5", throughput(throughputRatio()), throughputRatio() >= 0.5),
                new Target("p99 at " + settings.rate() + " req/s < 5 ms", ms(p99) + " ms"
                        + (fixed.nonOkCount() > 0 ? " and " + fixed.nonOkCount() + " non-OK answers" : ""),
                        p99 < 5 && fixed.nonOkCount() == 0),
                new Target("alert→Slack median < 20 ms", ms(alertMedian) + " ms"
                        + (alerts.missing() > 0 ? " and " + alerts.missing() + " posts missing" : ""),
                        alertMedian < 20 && alerts.missing() == 0 && alerts.nonOk().isEmpty()),
                new Target("start-up < 2000 ms", ms0(router.startupMillis()) + " ms", router.startupMillis() < 2000),
                new Target("peak RSS < 256 MB", mb(rss) + " MB", rss < 256),
                new Target("relayed Before-callbacks at " + relay.relayRate() + " req/s: p99 added to the backend's"
                        + " own < 5 ms", ms(relay.addedP99Millis()) + " ms"
                        + (relay.relayed().nonOkCount() > 0 ? " and " + relay.relayed().nonOkCount() + " non-OK" : ""),
                        relay.addedP99Millis() < 5 && relay.relayed().nonOkCount() == 0),
                new Target("no thread per relay in flight", relay.threadsIdle() + " threads idle, "
                        + relay.threadsRelaying() + " relaying", relay.threadsRelaying() - relay.threadsIdle() < 20),
                new Target("other callbacks' p99 unchanged beside the relays (within 1 ms)",
                        ms(relay.othersAlone().latencies().percentileMillis(0.99)) + " → "
                                + ms(relay.othersBeside().latencies().percentileMillis(0.99)) + " ms",
                        relay.othersBeside().latencies().percentileMillis(0.99)
                                - relay.othersAlone().latencies().percentileMillis(0.99) < 1));
    }

    String markdown() {
        LoadGenerator.Result rs = router.saturation();
        LoadGenerator.Result bs = bare.saturation();
        LoadGenerator.Result rf = router.fixedRate();
        LoadGenerator.Result bf = bare.fixedRate();
        StringBuilder md = new StringBuilder();
        md.append("# chat-callback-router benchmark\n\n");
        md.append("- date: ").append(machine.date()).append("; commit: ").append(machine.commit()).append('\n');
        md.append("- machine: ").append(machine.cpus()).append(" CPUs (").append(machine.cpuModel()).append("), ")
                .append(machine.memory()).append(" memory, ").append(machine.os()).append('\n');
        md.append("- load average (1/5/15 min) before the run: ").append(loadBefore).append("; after: ")
                .append(loadAfter).append(" (other work on the machine makes the figures worse)\n");
        md.append("- java: ").append(machine.java()).append('\n');
        md.append("- JVM options of both servers (the repository's jvm.options): ")
                .append(jvmOptions.isEmpty() ? "none (no jvm.options)" : String.join(" ", jvmOptions))
                .append(settings.routerExtraJvmArgs().isEmpty() ? ""
                        : "; the router also got BENCH_ROUTER_JVM_ARGS: "
                                + String.join(" ", settings.routerExtraJvmArgs()) + " (not the shipped setting)")
                .append("\n\n");
        md.append("| measure | router | bare Vert.x | router / bare |\n");
        md.append("| --- | ---: | ---: | ---: |\n");
        row(md, "throughput at saturation (req/s, OK answers, " + settings.connections() + " connections)",
                rps(rs.okPerSecond()), rps(bs.okPerSecond()), throughput(throughputRatio()));
        row(md, "p50 / p99 at saturation (ms)", pair(rs, 0.5, 0.99), pair(bs, 0.5, 0.99),
                ratioPair(rs, bs, 0.5, 0.99));
        row(md, "p50 / p99 at " + settings.rate() + " req/s (ms)", pair(rf, 0.5, 0.99), pair(bf, 0.5, 0.99),
                ratioPair(rf, bf, 0.5, 0.99));
        row(md, "max at " + settings.rate() + " req/s (ms)", ms(rf.latencies().maxMillis()),
                ms(bf.latencies().maxMillis()), ratio(rf.latencies().maxMillis() / bf.latencies().maxMillis()));
        row(md, "CPU used at " + settings.rate() + " req/s (% of one core)", pct(router.cpuShareAtFixedRate()),
                pct(bare.cpuShareAtFixedRate()), ratio(router.cpuShareAtFixedRate() / bare.cpuShareAtFixedRate()));
        row(md, "CPU per callback at " + settings.rate() + " req/s (µs, user + system)",
                ms0(router.cpuMicrosPerCallback()), ms0(bare.cpuMicrosPerCallback()),
                ratio(router.cpuMicrosPerCallback() / bare.cpuMicrosPerCallback()));
        row(md, "non-OK answers (saturation + " + settings.rate() + " req/s)", String.valueOf(router.nonOk()),
                String.valueOf(bare.nonOk()), "–");
        row(md, "start-up to first OK answer (ms)", ms0(router.startupMillis()), ms0(bare.startupMillis()),
                ratio(router.startupMillis() / bare.startupMillis()));
        row(md, "peak RSS, VmHWM after the load (MB)", mb(router.peakRssMb().orElse(Double.NaN)),
                mb(bare.peakRssMb().orElse(Double.NaN)),
                ratio(router.peakRssMb().orElse(Double.NaN) / bare.peakRssMb().orElse(Double.NaN)));
        row(md, "alert→Slack median / p99 (ms, " + alerts.latencies().count() + " alarms)",
                ms(alerts.latencies().percentileMillis(0.5)) + " / " + ms(alerts.latencies().percentileMillis(0.99)),
                "–", "–");
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
        md.append("\n## Targets\n\n| target | this run | |\n| --- | ---: | --- |\n");
        for (Target target : targets()) {
            row(md, target.target(), target.figure(), target.met() ? "met" : "**not met**");
        }
        appendNonOk(md, router);
        appendNonOk(md, bare);
        md.append("\n## How it was measured\n\n");
        md.append("- Both servers ran one after the other, each alone, as separate JVMs started with the same `java`"
                + " and JVM options; the router as users run it (`java @jvm.options -jar"
                + " target/chat-callback-router.jar` from the checkout, with its application.properties, routes/ and"
                + " class-data archive; only the data directory is the benchmark's), with the Sign check on, Slack pointed at the benchmark's fake Slack, on 127.0.0.1.\n");
        md.append("- Load: real signed callbacks (Sign = sha256(token + RequestTime), a new RequestTime each second)"
                + " built from the samples, mix: ").append(SignedCallbacks.mixDescription()).append(".\n");
        md.append("- No alarms in the load: the router journals each alarm to disk with fsync before it answers,"
                + " so alarms at saturation would measure the disk, not the router.\n");
        md.append("- Saturation: closed loop, ").append(settings.connections())
                .append(" HTTP/1.1 keep-alive connections (no pipelining), one request in flight on each; ")
                .append(settings.warmUp().toSeconds()).append(" s warm-up, then ")
                .append(settings.measure().toSeconds()).append(" s counted. Only 200 + the OK ack counts.\n");
        md.append("- OK answers in each second of the saturation phase, warm-up included: router ")
                .append(timeline(rs)).append("; bare ").append(timeline(bs)).append(".\n");
        md.append("- ").append(settings.rate()).append(" req/s: open loop over up to ").append(settings.rateConnections())
                .append(" connections, requests sent on a fixed schedule whatever the server does; latency from the"
                        + " intended send time (no coordinated omission); ")
                .append(settings.rateWarmUp().toSeconds()).append(" s warm-up, then ")
                .append(settings.measure().toSeconds()).append(" s counted. The generator's own send lag (p99): router run ")
                .append(ms(rf.sendLag().percentileMillis(0.99))).append(" ms, bare run ")
                .append(ms(bf.sendLag().percentileMillis(0.99))).append(" ms (included in the latencies).\n");
        md.append("- Alert→Slack: ").append(alerts.counted()).append(" over-limit alarms (after ")
                .append(alerts.warmUp()).append(" not counted; the very first, cold, took ")
                .append(ms(alerts.firstColdMillis())).append(" ms), each with its own ServiceName/Command so none is"
                        + " folded, one at a time, the next sent ").append(alerts.spacingMillis())
                .append(" ms after the previous post arrived, with SLACK_MIN_INTERVAL_MS=")
                .append(settings.slackMinIntervalMillis()).append(" so the router's pacing delays none; time from"
                        + " sending the callback to the fake Slack receiving the post (includes the alarm's fsyncs)."
                        + " With so few samples p99 is close to the max (")
                .append(ms(alerts.latencies().maxMillis())).append(" ms).\n");
        md.append("- CPU used: the server process's CPU time (user + system) over the wall time of the ")
                .append(settings.rate()).append(" req/s phase, warm-up included. Peak RSS: VmHWM of"
                        + " /proc/PID/status after the load phases.\n");
        md.append(System.getenv("BENCH_SERVER_CPUS") != null
                ? "- Each server ran pinned to CPU " + System.getenv("BENCH_SERVER_CPUS") + " (taskset), the load"
                        + " generator, the fake Slack and the fake backend in one more JVM on the other CPUs: the figures"
                        + " are one core's. CPU per callback: the server's CPU time (user + system, /proc/PID/stat) over"
                        + " the callbacks sent in the fixed-rate phase, warm-up included: noise on the machine barely"
                        + " moves it. A shared machine is noisy: compare runs on the same machine only.\n"
                : "- The load generator and the fake Slack run in one more JVM on the same " + machine.cpus()
                        + " CPUs: figures include that competition, and a shared machine is noisy; compare runs"
                        + " on the same machine only.\n");
        return md.toString();
    }

    JsonObject json() {
        JsonArray targets = new JsonArray();
        targets().forEach(t -> targets.add(new JsonObject()
                .put("target", t.target()).put("figure", t.figure()).put("met", t.met())));
        return new JsonObject()
                .put("date", machine.date())
                .put("commit", machine.commit())
                .put("loadAverageBefore", loadBefore)
                .put("loadAverageAfter", loadAfter)
                .put("machine", new JsonObject()
                        .put("cpus", machine.cpus()).put("cpuModel", machine.cpuModel())
                        .put("memory", machine.memory()).put("os", machine.os()).put("java", machine.java()))
                .put("jvmOptions", new JsonArray(new ArrayList<>(jvmOptions)))
                .put("settings", new JsonObject()
                        .put("warmUpSeconds", settings.warmUp().toSeconds())
                        .put("measureSeconds", settings.measure().toSeconds())
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
                .put("relay", new JsonObject()
                        .put("upstreamDelayMs", relay.upstreamDelayMillis())
                        .put("upstreamAlone", phase(relay.upstreamAlone()))
                        .put("relayed", phase(relay.relayed()))
                        .put("othersAlone", phase(relay.othersAlone()))
                        .put("othersBeside", phase(relay.othersBeside()))
                        .put("addedP99Ms", number(relay.addedP99Millis()))
                        .put("threadsIdle", relay.threadsIdle())
                        .put("threadsRelaying", relay.threadsRelaying()))
                .put("throughputRatio", number(throughputRatio()))
                .put("targets", targets);
    }

    private static JsonObject server(Server server) {
        return new JsonObject()
                .put("startupMs", number(server.startupMillis()))
                .put("peakRssMb", number(server.peakRssMb().orElse(Double.NaN)))
                .put("cpuShareAtFixedRate", number(server.cpuShareAtFixedRate()))
                .put("cpuMicrosPerCallbackAtFixedRate", number(server.cpuMicrosPerCallback()))
                .put("saturation", phase(server.saturation()))
                .put("fixedRate", phase(server.fixedRate()));
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
        if (result.okEachSecond() != null) {
            JsonArray timeline = new JsonArray();
            Arrays.stream(result.okEachSecond()).forEach(timeline::add);
            phase.put("okEachSecondWarmUpIncluded", timeline);
        }
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
        server.saturation().nonOk().forEach((what, n) ->
                md.append("- saturation: ").append(n).append(" × ").append(what).append('\n'));
        server.fixedRate().nonOk().forEach((what, n) ->
                md.append("- fixed rate: ").append(n).append(" × ").append(what).append('\n'));
    }

    private static void relayRow(StringBuilder md, String name, LoadGenerator.Result result) {
        row(md, name, ms(result.latencies().percentileMillis(0.5)), ms(result.latencies().percentileMillis(0.99)),
                ms(result.latencies().maxMillis()), String.valueOf(result.nonOkCount()));
    }

    private static String timeline(LoadGenerator.Result result) {
        return Arrays.stream(result.okEachSecond()).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining(" "));
    }

    private static void row(StringBuilder md, String... cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String pair(LoadGenerator.Result result, double q1, double q2) {
        return ms(result.latencies().percentileMillis(q1)) + " / " + ms(result.latencies().percentileMillis(q2));
    }

    private static String ratioPair(LoadGenerator.Result a, LoadGenerator.Result b, double q1, double q2) {
        return ratio(a.latencies().percentileMillis(q1) / b.latencies().percentileMillis(q1)) + " / "
                + ratio(a.latencies().percentileMillis(q2) / b.latencies().percentileMillis(q2));
    }

    private static String rps(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String pct(double share) {
        return Double.isNaN(share) ? "–" : String.format(Locale.ROOT, "%.0f", share * 100);
    }

    private static String ms0(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String mb(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.0f", value);
    }

    /** The throughput ratio with three decimals: rounded to two, 0.497 would read as a met 0.50. */
    private static String throughput(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static Double number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : Math.round(value * 1000) / 1000.0;
    }
}
