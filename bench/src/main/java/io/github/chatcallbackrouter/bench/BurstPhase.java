package io.github.chatcallbackrouter.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Before-callbacks held by a slow backend do not hold the others up: a router relays every Before-callback and
 * every {@code State.StateChange} to a backend that answers after 200 ms; the Before-callbacks arrive at 1 000 a
 * second (200 of them waiting on the backend at any time), the State.StateChange at 100 a second. Measures the
 * State.StateChange answers (kept in the outbox, then OK) alone and beside the burst; open loop, latency from the
 * intended send time.
 */
final class BurstPhase {

    /** What was measured. */
    record Result(long upstreamDelayMillis, int beforeRate, int stateRate, LoadGenerator.Result stateAlone,
            LoadGenerator.Result stateBeside, LoadGenerator.Result before) {

        /** Before-callbacks waiting on the backend at any time. */
        long waiting() {
            return beforeRate * upstreamDelayMillis / 1000;
        }
    }

    static final long UPSTREAM_DELAY_MILLIS = 200;
    static final int BEFORE_RATE = 1000;
    static final int STATE_RATE = 100;
    static final String STATE = "State.StateChange";

    private BurstPhase() {
    }

    static Result measure(int port, LoadGenerator load, SignedCallbacks callbacks, Settings settings)
            throws Exception {
        Duration warmUp = settings.rateWarmUp().plusSeconds(3);
        Workload state = callbacks.only(STATE);
        // warm both paths (the router's JIT) before anything is counted
        load.fixedRate(port, 400, BEFORE_RATE, Duration.ofSeconds(5), Duration.ofSeconds(1), callbacks.before());
        LoadGenerator.Result alone = load.fixedRate(port, settings.rateConnections(), STATE_RATE, warmUp,
                settings.measure(), state);
        CompletableFuture<LoadGenerator.Result> beside = CompletableFuture.supplyAsync(() -> {
            try {
                return load.fixedRate(port, settings.rateConnections(), STATE_RATE, warmUp, settings.measure(), state);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // each Before-callback holds a connection for 200 ms: 400 connections keep 1 000 a second going
        LoadGenerator.Result before = load.fixedRate(port, 400, BEFORE_RATE, warmUp, settings.measure(),
                callbacks.before());
        return new Result(UPSTREAM_DELAY_MILLIS, BEFORE_RATE, STATE_RATE, alone, beside.join(), before);
    }
}
