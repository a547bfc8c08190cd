package io.github.chatcallbackrouter.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The router in front of the app's backend: Before-callbacks relayed to a backend that answers after
 * 50 ms, at a fixed rate, beside the other callbacks at their own rate. Measures what the router adds to the
 * backend's own time (its p99 less the backend's p99 when the same load is sent to it directly), how many threads
 * the router has while a hundred relays are in flight, and whether the other callbacks' p99 moves.
 */
final class RelayPhase {

    /** What was measured; latencies from the intended send time. */
    record Result(long upstreamDelayMillis, int relayRate, int otherRate, LoadGenerator.Result upstreamAlone,
            LoadGenerator.Result othersAlone, LoadGenerator.Result relayed, LoadGenerator.Result othersBeside,
            int threadsIdle, int threadsRelaying, long upstreamAnswered) {

        /** What the router adds at p99: through the router, less the backend's own p99 under the same load. */
        double addedP99Millis() {
            return relayed.latencies().percentileMillis(0.99) - upstreamAlone.latencies().percentileMillis(0.99);
        }
    }

    static final long UPSTREAM_DELAY_MILLIS = 50;
    static final int OTHER_RATE = 500;

    private RelayPhase() {
    }

    static Result measure(ServerProcess router, int port, LoadGenerator load, SignedCallbacks callbacks,
            FakeUpstream upstream, Settings settings) throws Exception {
        Duration warmUp = settings.rateWarmUp().plusSeconds(3);
        // warm the relay path (the router's JIT) before anything is counted
        load.fixedRate(port, settings.rateConnections(), settings.rate(), Duration.ofSeconds(5), Duration.ofSeconds(1),
                callbacks.before());
        // the backend's own time, the same load sent to it directly: what the router's figures are compared with
        LoadGenerator.Result upstreamAlone = load.fixedRate(upstream.port(), 400, settings.rate(), warmUp,
                settings.measure(), callbacks.before());
        int threadsIdle = threads(router);
        LoadGenerator.Result alone = load.fixedRate(port, settings.rateConnections(), OTHER_RATE, warmUp,
                settings.measure(), callbacks.notBefore());
        CompletableFuture<LoadGenerator.Result> others = CompletableFuture.supplyAsync(() -> {
            try {
                return load.fixedRate(port, settings.rateConnections(), OTHER_RATE, warmUp, settings.measure(),
                        callbacks.notBefore());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<Integer> threadsDuring = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(warmUp.plus(settings.measure().dividedBy(2)).toMillis());
                return threads(router);
            } catch (Exception e) {
                return -1;
            }
        });
        // relays hold a connection each for 50 ms: at 2000 req/s about 100 are in flight at any time
        LoadGenerator.Result relayed = load.fixedRate(port, 400, settings.rate(), warmUp, settings.measure(),
                callbacks.before());
        return new Result(UPSTREAM_DELAY_MILLIS, settings.rate(), OTHER_RATE, upstreamAlone, alone, relayed,
                others.join(),
                threadsIdle, threadsDuring.join(), upstream.answered());
    }

    /** Threads of the process now, from /proc/PID/status. */
    static int threads(ServerProcess process) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        return -1;
    }
}
