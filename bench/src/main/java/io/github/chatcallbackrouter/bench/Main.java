package io.github.chatcallbackrouter.bench;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The benchmark, in one run: the router (as users run it), a bare Vert.x server and, when it is installed,
 * Prometheus Alertmanager, each started alone, timed to its first answer and warmed up; then driven at saturation
 * (wrk when installed) in turns, and at a fixed rate, each alone on its core, its CPU time per request and peak RSS
 * read; then the router's alert-to-Slack latency, the router in front of a backend, and its deliveries to a backend
 * at 1000 After-callbacks a second. Prints the markdown report and writes results/latest.md and
 * results/latest.json.
 *
 * <p>{@code java -jar chat-callback-router-bench.jar REPO_ROOT BENCH_DIR}; bench/run.sh builds and runs it.
 */
public final class Main {

    private static final List<ServerProcess> STARTED = new CopyOnWriteArrayList<>();
    /** The router's temporary working directory, removed at the end whatever happens. */
    private static volatile Path routerWorkDir;

    private Main() {
    }

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0);
        } catch (Exception | Error e) {
            log("failed: %s", e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Path repoRoot = Path.of(args[0]).toAbsolutePath().normalize();
        Path benchDir = Path.of(args[1]).toAbsolutePath().normalize();
        Settings settings = Settings.fromEnvironment();
        Runtime.getRuntime().addShutdownHook(new Thread(Main::stopAll, "stop-servers"));
        startWatchdog(settings.timeout());

        Machine machine = Machine.describe(repoRoot);
        String loadBefore = Machine.loadAverage();
        log("machine: %d CPUs, %s, %s; commit %s", machine.cpus(), machine.cpuModel(), machine.memory(),
                machine.commit());
        List<String> shippedOptions = shippedOptions(repoRoot);
        log("JVM options of both servers: %s", shippedOptions.isEmpty() ? "none" : String.join(" ", shippedOptions));
        SignedCallbacks callbacks = new SignedCallbacks();
        Optional<Wrk> wrk = Wrk.onPath(benchDir.resolve("target/wrk"));
        Optional<Machine.Program> alertmanager = Machine.program("--version", "prometheus-alertmanager",
                "alertmanager");
        log("saturation by %s; Alertmanager: %s", wrk.map(Wrk::version).orElse("the Java generator (no wrk)"),
                alertmanager.map(Machine.Program::version).orElse("not installed, left out"));
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(200))
                .build();

        Report report;
        try (FakeSlack slack = new FakeSlack(); LoadGenerator load = new LoadGenerator();
             FakeUpstream upstream = new FakeUpstream(RelayPhase.UPSTREAM_DELAY_MILLIS)) {
            // the probe's first request pays for loading the JDK's HTTP client: not the servers' start-up
            http.send(HttpRequest.newBuilder(URI.create(slack.url())).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            warmUpGenerator(load, callbacks, settings);
            routerWorkDir = Files.createTempDirectory("chat-callback-router-bench-");
            try {
                // each server started and warmed up in turn, then all of them at saturation in turns, each alone on its
                // core while the others idle: a slower minute of the machine falls on every server, not on one
                int routerPort = freePort();
                Contender router = warmedUp(startRouter(repoRoot, benchDir, routerWorkDir, routerPort, slack,
                        settings, Map.of()), routerPort, callbacks.mix(), http, load, wrk, settings);
                int barePort = freePort();
                Contender bare = warmedUp(startBare(repoRoot, benchDir, barePort), barePort, callbacks.mix(), http,
                        load, wrk, settings);
                List<Contender> contenders = new ArrayList<>(List.of(router, bare));
                if (alertmanager.isPresent()) {
                    int port = freePort();
                    contenders.add(warmedUp(startAlertmanager(alertmanager.get(), routerWorkDir.resolve("alertmanager"),
                            benchDir, port), port, Workload.alertmanagerAlert(), http, load, wrk, settings));
                }
                for (int round = 1; round <= settings.rounds(); round++) {
                    for (Contender contender : contenders) {
                        contender.rounds().add(saturate(contender, round, load, wrk, settings));
                    }
                }
                Report.Server routerFigures = atFixedRate(router, load, settings);
                Report.Server bareFigures = atFixedRate(bare, load, settings);
                stop(bare.server());
                Optional<Report.Server> alertmanagerFigures = Optional.empty();
                if (contenders.size() > 2) {
                    alertmanagerFigures = Optional.of(atFixedRate(contenders.get(2), load, settings));
                    stop(contenders.get(2).server());
                }

                log("router: alert→Slack, %d alarms", settings.alarms());
                AlertLatency.Result alerts = AlertLatency.measure(routerPort, callbacks, slack, http,
                        settings.alarmWarmUp(), settings.alarms(), settings.slackMinIntervalMillis());
                stop(router.server());

                int relayPort = freePort();
                ServerProcess relayingRouter = startRouter(repoRoot, benchDir, routerWorkDir.resolve("relay"),
                        relayPort, slack, settings, Map.of("UPSTREAM_CALLBACK_URL", upstream.url(),
                                "UPSTREAM_COMMANDS", SignedCallbacks.BEFORE));
                StartupProbe.millisToFirstOk(relayingRouter, relayPort, callbacks.mix(), http,
                        Duration.ofSeconds(60));
                log("router in front of a backend: %s relayed at %d req/s to a backend answering after %d ms, the"
                        + " other callbacks at %d req/s", SignedCallbacks.BEFORE, settings.rate(),
                        RelayPhase.UPSTREAM_DELAY_MILLIS, RelayPhase.OTHER_RATE);
                RelayPhase.Result relay = RelayPhase.measure(relayingRouter, relayPort, load, callbacks, upstream,
                        settings);
                log("relay: p99 %.2f ms (%.2f ms over the backend's own), threads %d idle, %d relaying",
                        relay.relayed().latencies().percentileMillis(0.99), relay.addedP99Millis(),
                        relay.threadsIdle(), relay.threadsRelaying());
                stop(relayingRouter);

                BurstPhase.Result burst;
                try (FakeUpstream slowBackend = new FakeUpstream(BurstPhase.UPSTREAM_DELAY_MILLIS)) {
                    int burstPort = freePort();
                    ServerProcess burstRouter = startRouter(repoRoot, benchDir, routerWorkDir.resolve("burst"),
                            burstPort, slack, settings, Map.of("UPSTREAM_CALLBACK_URL", slowBackend.url(),
                                    "UPSTREAM_COMMANDS", SignedCallbacks.BEFORE + "," + BurstPhase.STATE));
                    StartupProbe.millisToFirstOk(burstRouter, burstPort, callbacks.mix(), http, Duration.ofSeconds(60));
                    log("router under a Before-burst: %s at %d req/s waiting on a backend answering after %d ms, %s"
                            + " relayed beside them at %d req/s", SignedCallbacks.BEFORE, BurstPhase.BEFORE_RATE,
                            BurstPhase.UPSTREAM_DELAY_MILLIS, BurstPhase.STATE, BurstPhase.STATE_RATE);
                    burst = BurstPhase.measure(burstPort, load, callbacks, settings);
                    log("burst: %s p99 %.2f ms beside the burst, %.2f ms alone", BurstPhase.STATE,
                            burst.stateBeside().latencies().percentileMillis(0.99),
                            burst.stateAlone().latencies().percentileMillis(0.99));
                    stop(burstRouter);
                }

                DeliveryPhase.Result deliveries;
                try (FakeUpstream healthy = new FakeUpstream(1)) {
                    int deliveryPort = freePort();
                    int deliveryManagement = freePort();
                    ServerProcess deliveringRouter = startRouter(repoRoot, benchDir, routerWorkDir.resolve("deliver"),
                            deliveryPort, slack, settings, Map.of("UPSTREAM_CALLBACK_URL", healthy.url(),
                                    "UPSTREAM_COMMANDS", DeliveryPhase.AFTER,
                                    "CAMEL_MANAGEMENT_PORT", String.valueOf(deliveryManagement)));
                    StartupProbe.millisToFirstOk(deliveringRouter, deliveryPort, callbacks.mix(), http,
                            Duration.ofSeconds(60));
                    log("router delivering: %s at %d req/s for %d s, each kept in the outbox and relayed to a backend"
                            + " answering after 1 ms", DeliveryPhase.AFTER, DeliveryPhase.RATE,
                            DeliveryPhase.LOAD.toSeconds());
                    deliveries = DeliveryPhase.measure(deliveringRouter, deliveryPort, deliveryManagement, load,
                            callbacks, healthy, settings);
                    log("deliveries: %.0f/s during the load, outbox at most %d, empty %.1f s after the load; ingest p99"
                            + " %.2f ms", deliveries.deliveredPerSecond(), deliveries.maxDepth(),
                            deliveries.drainSeconds(), deliveries.ingest().latencies().percentileMillis(0.99));
                    stop(deliveringRouter);
                }

                report = new Report(machine, settings, shippedOptions, routerFigures, bareFigures,
                        alertmanagerFigures, alertmanager.map(Machine.Program::version), alerts, relay, burst,
                        deliveries, loadBefore, Machine.loadAverage());
            } finally {
                stopAll();
            }
        }

        String markdown = report.markdown();
        Path results = Files.createDirectories(benchDir.resolve("results"));
        Files.writeString(results.resolve("latest.md"), markdown);
        Files.writeString(results.resolve("latest.json"), report.json().encodePrettily() + "\n");
        System.out.println(markdown);
        log("written: %s and %s", results.resolve("latest.md"), results.resolve("latest.json"));
    }

    private static ServerProcess startRouter(Path repoRoot, Path benchDir, Path workDir, int routerPort,
            FakeSlack slack, Settings settings, Map<String, String> extra) throws IOException {
        // started as the README starts it, from the checkout (its application.properties, routes/ and the class-data
        // archive jvm.options names); only the data directory is the benchmark's own
        Map<String, String> environment = new HashMap<>();
        environment.put("CAMEL_SERVER_HOST", "127.0.0.1");
        environment.put("CAMEL_SERVER_PORT", String.valueOf(routerPort));
        int managementPort;
        do {
            managementPort = freePort();
        } while (managementPort == routerPort);
        // the router may or may not open a management port; the benchmark does not depend on it
        environment.put("CAMEL_MANAGEMENT_HOST", "127.0.0.1");
        environment.put("CAMEL_MANAGEMENT_PORT", String.valueOf(managementPort));
        environment.put("TENCENT_SDKAPPID", SignedCallbacks.SDKAPPID);
        environment.put("TENCENT_CALLBACK_TOKEN", SignedCallbacks.TOKEN);
        environment.put("TENCENT_CALLBACK_PATH", SignedCallbacks.PATH);
        environment.put("TENCENT_MAX_CLOCK_SKEW_SECONDS", "60");
        environment.put("SLACK_WEBHOOK_URL", slack.url());
        environment.put("SLACK_MIN_INTERVAL_MS", String.valueOf(settings.slackMinIntervalMillis()));
        environment.put("ALERTS_GROUP_WINDOW", "5m");
        environment.put("ROUTER_DATA_DIR", workDir.resolve("data").toString());
        environment.put("ROUTER_SHUTDOWN_TIMEOUT", "10");
        environment.putAll(extra);
        List<String> args = new ArrayList<>(ServerProcess.jvmOptions(repoRoot));
        args.addAll(settings.routerExtraJvmArgs());
        args.addAll(List.of("-jar", "target/chat-callback-router.jar"));
        log("router: starting on 127.0.0.1:%d (log: %s)", routerPort, benchDir.resolve("target/logs/router.log"));
        return started(ServerProcess.java("router", args, environment, repoRoot, benchDir.resolve("target/logs"),
                benchDir.resolve("target/pids")));
    }

    /**
     * Alertmanager as Debian runs it, alone (no cluster), with one receiver that sends nowhere: what is measured is
     * its ingest of alerts. Its data under the router's temporary directory, so run.sh's clean-up finds it.
     */
    private static ServerProcess startAlertmanager(Machine.Program alertmanager, Path workDir, Path benchDir,
            int port) throws IOException {
        Files.createDirectories(workDir.resolve("data"));
        Path config = Files.writeString(workDir.resolve("alertmanager.yml"), """
                route:
                  receiver: nowhere
                receivers:
                  - name: nowhere
                """);
        log("Alertmanager: starting on 127.0.0.1:%d", port);
        return started(ServerProcess.start("alertmanager", List.of(alertmanager.path().toString(),
                        "--config.file=" + config, "--storage.path=" + workDir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=", "--log.level=warn"),
                Map.of(), workDir, benchDir.resolve("target/logs"), benchDir.resolve("target/pids")));
    }

    private static ServerProcess startBare(Path repoRoot, Path benchDir, int barePort)
            throws IOException, URISyntaxException {
        Path benchJar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> args = new ArrayList<>(ServerProcess.jvmOptions(repoRoot));
        args.addAll(List.of("-cp", benchJar.toString(), BareServer.class.getName(), String.valueOf(barePort)));
        log("bare Vert.x: starting on 127.0.0.1:%d", barePort);
        return started(ServerProcess.java("bare-vertx", args, Map.of(), benchDir, benchDir.resolve("target/logs"),
                benchDir.resolve("target/pids")));
    }

    /** A server started and warmed up, with its saturation rounds as they are measured. */
    private record Contender(ServerProcess server, int port, Workload workload, double startupMillis,
            List<Saturation> rounds) {
    }

    /** Start-up to the first answer, then the warm-up at saturation (its JIT), not counted. */
    private static Contender warmedUp(ServerProcess server, int port, Workload workload, HttpClient http,
            LoadGenerator load, Optional<Wrk> wrk, Settings settings) throws Exception {
        double startup = StartupProbe.millisToFirstOk(server, port, workload, http, Duration.ofSeconds(60));
        log("%s: first OK answer %.0f ms after spawn; %d s warm-up at saturation, %d connections", server.name(),
                startup, settings.warmUp().toSeconds(), settings.connections());
        if (wrk.isPresent()) {
            // in runs of at most 30 s, each signed afresh: the router accepts a RequestTime up to 60 s old
            for (long left = settings.warmUp().toSeconds(); left > 0; left -= 30) {
                wrk.get().run(port, workload, settings.connections(), Duration.ofSeconds(Math.min(30, left)));
            }
        } else {
            load.saturate(port, settings.connections(), Duration.ZERO, settings.warmUp(), workload);
        }
        return new Contender(server, port, workload, startup, new ArrayList<>());
    }

    /** One counted round at saturation. */
    private static Saturation saturate(Contender contender, int round, LoadGenerator load, Optional<Wrk> wrk,
            Settings settings) throws Exception {
        ServerProcess server = contender.server();
        long cpuBefore = server.cpuMillis();
        Saturation saturation;
        if (wrk.isPresent()) {
            Wrk.Run run = wrk.get().run(contender.port(), contender.workload(), settings.connections(),
                    settings.measure());
            saturation = Saturation.of(wrk.get(), run, settings.connections(),
                    (server.cpuMillis() - cpuBefore) * 1000.0 / run.requests());
        } else {
            LoadGenerator.Result result = load.saturate(contender.port(), settings.connections(), Duration.ZERO,
                    settings.measure(), contender.workload());
            saturation = Saturation.of(result, (server.cpuMillis() - cpuBefore) * 1000.0
                    / (result.ok() + result.nonOkCount()));
        }
        log("%s: round %d at saturation: %.0f OK answers/s, %d non-OK, %.1f µs of CPU per request", server.name(),
                round, saturation.okPerSecond(), saturation.nonOk(), saturation.cpuMicrosPerRequest());
        return saturation;
    }

    /** After a pause, the fixed rate, then the peak RSS. */
    private static Report.Server atFixedRate(Contender contender, LoadGenerator load, Settings settings)
            throws Exception {
        ServerProcess server = contender.server();
        Thread.sleep(settings.settle().toMillis());
        log("%s: %d req/s open loop, %d s warm-up + %d s", server.name(), settings.rate(),
                settings.rateWarmUp().toSeconds(), settings.measure().toSeconds());
        long cpuBefore = server.cpuMillis();
        LoadGenerator.Result fixedRate = load.fixedRate(contender.port(), settings.rateConnections(), settings.rate(),
                settings.rateWarmUp(), settings.measure(), contender.workload());
        double cpuMicrosAtFixedRate = (server.cpuMillis() - cpuBefore) * 1000.0
                / (settings.rate() * (settings.rateWarmUp().toSeconds() + settings.measure().toSeconds()));
        log("%s: p99 %.2f ms, %d non-OK", server.name(), fixedRate.latencies().percentileMillis(0.99),
                fixedRate.nonOkCount());
        if (!server.isAlive()) {
            throw new IllegalStateException(server.name() + " died under load:\n" + server.logTail());
        }
        return new Report.Server(server.name(), contender.startupMillis(), List.copyOf(contender.rounds()), fixedRate,
                cpuMicrosAtFixedRate, server.peakRssMb());
    }

    /**
     * The generator's own code compiled before anything is counted, against a bare server in this JVM: a cold
     * generator lags behind its schedule, and the lag is charged to the first server measured.
     */
    private static void warmUpGenerator(LoadGenerator load, SignedCallbacks callbacks, Settings settings)
            throws Exception {
        int port = freePort();
        Vertx server = BareServer.start(port);
        try {
            log("load generator: warming up (%d req/s for 5 s, not counted)", settings.rate());
            load.fixedRate(port, settings.rateConnections(), settings.rate(), Duration.ofSeconds(5),
                    Duration.ofSeconds(1), callbacks.mix());
        } finally {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static ServerProcess started(ServerProcess process) {
        STARTED.add(process);
        return process;
    }

    private static void stop(ServerProcess process) {
        log("%s: stopping", process.name());
        process.close();
        STARTED.remove(process);
    }

    /** Stops every server still running, then removes the router's working directory. */
    private static synchronized void stopAll() {
        STARTED.forEach(ServerProcess::close);
        STARTED.clear();
        Path dir = routerWorkDir;
        routerWorkDir = null;
        if (dir != null) {
            deleteTree(dir);
        }
    }

    /** The whole run is bounded: past the limit, everything started is stopped and the run fails. */
    private static void startWatchdog(Duration limit) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
                log("timed out after %d s: stopping everything", limit.toSeconds());
                System.exit(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The options in the repository's jvm.options, for the report; empty when it has none. */
    private static List<String> shippedOptions(Path repoRoot) throws IOException {
        Path file = repoRoot.resolve("jvm.options");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream()
                .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            log("could not remove %s: %s", root, e);
        }
    }

    static void log(String format, Object... args) {
        System.err.println("bench: " + String.format(format, args));
    }
}
