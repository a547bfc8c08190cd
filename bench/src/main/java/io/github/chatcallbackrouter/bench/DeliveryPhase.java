package io.github.chatcallbackrouter.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The router in front of a healthy backend (it answers after 1 ms), relaying every After-callback it gets at a
 * fixed rate: does its delivery keep pace with its ingest? Each callback is in the outbox on disk (a group commit)
 * before Chat hears OK, and posted from there. Measures the ingest (latency from the intended send time), the
 * deliveries the backend took during the load, the deepest the outbox got (chat_outbox_depth, read every 250 ms),
 * and how long after the load's end the outbox is empty again.
 */
final class DeliveryPhase {

    static final int RATE = 1000;
    static final Duration LOAD = Duration.ofSeconds(30);
    static final String AFTER = "State.StateChange";

    /** What was measured. */
    record Result(int rate, double loadSeconds, LoadGenerator.Result ingest, long deliveredDuringLoad,
            long maxDepth, double drainSeconds, double cpuMicrosPerCallback) {

        double deliveredPerSecond() {
            return deliveredDuringLoad / loadSeconds;
        }
    }

    private DeliveryPhase() {
    }

    static Result measure(ServerProcess router, int port, int managementPort, LoadGenerator load,
            SignedCallbacks callbacks, FakeUpstream backend, Settings settings) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        String metrics = "http://127.0.0.1:" + managementPort + "/observe/metrics";
        Workload after = callbacks.only(AFTER);
        // the relay path compiled by the JIT before anything is counted, and what it queued delivered
        load.fixedRate(port, settings.rateConnections(), RATE, Duration.ofSeconds(5), Duration.ofSeconds(1), after);
        waitForEmpty(http, metrics, Duration.ofSeconds(60));

        AtomicLong maxDepth = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    maxDepth.accumulateAndGet(depth(http, metrics), Math::max);
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // a missed sample
                }
            }
        }, "outbox-depth");
        long deliveredBefore = backend.answered();
        long cpuBefore = router.cpuMillis();
        sampler.start();
        LoadGenerator.Result ingest = load.fixedRate(port, settings.rateConnections(), RATE, Duration.ZERO, LOAD,
                after);
        long deliveredDuringLoad = backend.answered() - deliveredBefore;
        long ended = System.nanoTime();
        waitForEmpty(http, metrics, Duration.ofSeconds(60));
        double drainSeconds = (System.nanoTime() - ended) / 1e9;
        sampler.interrupt();
        sampler.join();
        double cpuMicros = (router.cpuMillis() - cpuBefore) * 1000.0 / Math.max(1, ingest.ok());
        return new Result(RATE, LOAD.toSeconds(), ingest, deliveredDuringLoad, maxDepth.get(), drainSeconds,
                cpuMicros);
    }

    private static void waitForEmpty(HttpClient http, String metrics, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (depth(http, metrics) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the outbox did not empty within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** chat_outbox_depth: the deliveries in the outbox now. */
    private static long depth(HttpClient http, String metrics) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(metrics)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith("chat_outbox_depth ")) {
                return (long) Double.parseDouble(line.substring("chat_outbox_depth ".length()).trim());
            }
        }
        throw new IllegalStateException("no chat_outbox_depth in " + metrics);
    }
}
