package io.github.chatcallbackrouter.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A workload's requests over HTTP/1.1 keep-alive connections (no pipelining), from one Vert.x event loop, which
 * also does all the counting. Every answer is checked: only what the workload calls OK counts (for the router,
 * 200 with the OK ack); the rest is counted by what it was.
 */
final class LoadGenerator implements AutoCloseable {

    private static final long ANSWER_TIMEOUT_MILLIS = 5_000;

    /** What one phase measured; latencies are of the OK answers. */
    record Result(int connections, double seconds, long sent, long ok, Map<String, Long> nonOk,
            Latencies latencies, Latencies sendLag) {

        long nonOkCount() {
            return nonOk.values().stream().mapToLong(Long::longValue).sum();
        }

        double okPerSecond() {
            return ok / seconds;
        }
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final Context loop = vertx.getOrCreateContext();

    /**
     * Closed loop: each of {@code connections} connections has one request in flight at all times, the next sent
     * when the answer came. Counts the answers that arrive within {@code measure}, after {@code warmUp}.
     */
    Result saturate(int port, int connections, Duration warmUp, Duration measure, Workload workload)
            throws Exception {
        HttpClient client = client(port, connections);
        RoundRobin next = new RoundRobin(workload);
        Tally tally = new Tally();
        long start = System.nanoTime();
        long recordFrom = start + warmUp.toNanos();
        long recordUntil = recordFrom + measure.toNanos();
        CompletableFuture<Void> allStopped = new CompletableFuture<>();
        int[] running = {connections};
        Runnable[] chain = new Runnable[1];
        chain[0] = () -> {
            if (System.nanoTime() >= recordUntil) {
                if (--running[0] == 0) {
                    allStopped.complete(null);
                }
                return;
            }
            long sent = System.nanoTime();
            send(client, workload, next.get()).onComplete(answer -> {
                long now = System.nanoTime();
                if (now >= recordFrom && now < recordUntil) {
                    tally.add(answer, now - sent);
                }
                chain[0].run();
            });
        };
        loop.runOnContext(v -> {
            for (int i = 0; i < connections; i++) {
                chain[0].run();
            }
        });
        allStopped.get(warmUp.plus(measure).toMillis() + 2 * ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        client.close().toCompletionStage().toCompletableFuture().join();
        return tally.result(connections, measure, tally.answered, null);
    }

    /**
     * Open loop: one request every 1/rate s on a fixed schedule, whatever the server does; latency is measured
     * from the intended send time, so a stalled server is charged for the requests it held up (no coordinated
     * omission). The first {@code warmUp} opens the connections and is not counted.
     */
    Result fixedRate(int port, int connections, int rate, Duration warmUp, Duration measure, Workload workload)
            throws Exception {
        HttpClient client = client(port, connections);
        RoundRobin next = new RoundRobin(workload);
        Tally tally = new Tally();
        Latencies sendLag = new Latencies();
        long period = 1_000_000_000L / rate;
        long warmUpCount = rate * warmUp.toSeconds();
        long total = warmUpCount + rate * measure.toSeconds();
        long[] answered = {0};
        CompletableFuture<Void> allAnswered = new CompletableFuture<>();
        long start = System.nanoTime() + 20_000_000L;
        Thread scheduler = new Thread(() -> {
            for (long i = 0; i < total && !Thread.currentThread().isInterrupted(); i++) {
                long intended = start + i * period;
                boolean counted = i >= warmUpCount;
                for (long wait; (wait = intended - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(wait);
                }
                loop.runOnContext(v -> {
                    if (counted) {
                        sendLag.record(System.nanoTime() - intended);
                    }
                    send(client, workload, next.get()).onComplete(answer -> {
                        if (counted) {
                            tally.add(answer, System.nanoTime() - intended);
                        }
                        if (++answered[0] == total) {
                            allAnswered.complete(null);
                        }
                    });
                });
            }
        }, "open-loop-scheduler");
        scheduler.setDaemon(true);
        scheduler.start();
        try {
            allAnswered.get(warmUp.plus(measure).toMillis() + 3 * ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillWaiting) {
            // counted below as unanswered
        }
        scheduler.interrupt();
        scheduler.join();
        CompletableFuture<Result> result = new CompletableFuture<>();
        loop.runOnContext(v -> result.complete(
                tally.result(connections, measure, total - warmUpCount, sendLag)));
        Result measured = result.get(5, TimeUnit.SECONDS);
        client.close().toCompletionStage().toCompletableFuture().join();
        return measured;
    }

    /** One request; the future holds null for an OK answer, else what the answer was. */
    private static Future<String> send(HttpClient client, Workload workload, Workload.Request next) {
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI(next.uri())
                .putHeader("Content-Type", "application/json")
                .setIdleTimeout(ANSWER_TIMEOUT_MILLIS);
        return client.request(request)
                .compose(r -> r.send(next.body()))
                .compose(response -> response.body().map(body -> {
                    String text = body.toString();
                    return workload.isOk(response.statusCode(), text) ? null : Ack.describe(response.statusCode(), text);
                }));
    }

    /** The workload's requests in turn; used on the event loop only. */
    private static final class RoundRobin implements Supplier<Workload.Request> {
        private final Workload workload;
        private long sent;

        RoundRobin(Workload workload) {
            this.workload = workload;
        }

        @Override
        public Workload.Request get() {
            List<Workload.Request> cycle = workload.cycle();
            return cycle.get((int) (sent++ % cycle.size()));
        }
    }

    private HttpClient client(int port, int connections) {
        return vertx.createHttpClient(
                new HttpClientOptions()
                        .setDefaultHost("127.0.0.1")
                        .setDefaultPort(port)
                        .setKeepAlive(true)
                        .setPipelining(false)
                        .setConnectTimeout((int) ANSWER_TIMEOUT_MILLIS),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    /** Counts of one phase; touched only on the event loop. */
    private static final class Tally {
        private final Latencies latencies = new Latencies();
        private final Map<String, Long> nonOk = new LinkedHashMap<>();
        private long ok;
        private long answered;

        void add(AsyncResult<String> answer, long nanos) {
            answered++;
            if (answer.succeeded() && answer.result() == null) {
                ok++;
                latencies.record(nanos);
            } else {
                String what = answer.succeeded() ? answer.result()
                        : "no answer: " + answer.cause().getClass().getSimpleName() + " " + answer.cause().getMessage();
                nonOk.merge(what, 1L, Long::sum);
            }
        }

        Result result(int connections, Duration measure, long sent, Latencies sendLag) {
            Map<String, Long> failures = new LinkedHashMap<>(nonOk);
            long unanswered = sent - answered;
            if (unanswered > 0) {
                failures.put("no answer before the phase ended", unanswered);
            }
            return new Result(connections, measure.toMillis() / 1000.0, sent, ok, failures, latencies, sendLag);
        }
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
