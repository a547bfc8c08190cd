package io.github.chatcallbackrouter.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Slack incoming webhook that answers 200 "ok" at once and notes when each post arrived (System.nanoTime, the
 * clock of this JVM, which also sends the alarms). A post is matched to its alarm by the marker
 * {@code bench_alarm_N} that the alarm's Command puts into the Slack message.
 */
final class FakeSlack implements AutoCloseable {

    static final String MARKER = "bench_alarm_";
    private static final Pattern ALARM = Pattern.compile(MARKER + "(\\d+)");

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final Map<Integer, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
    private final AtomicInteger posts = new AtomicInteger();
    private final HttpServer server;

    FakeSlack() {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    long arrived = System.nanoTime();
                    request.response().putHeader("Content-Type", "text/plain").end("ok");
                    posts.incrementAndGet();
                    Matcher alarm = ALARM.matcher(body.toString());
                    if (alarm.find()) {
                        arrival(Integer.parseInt(alarm.group(1))).complete(arrived);
                    }
                }))
                .listen().toCompletionStage().toCompletableFuture().join();
    }

    /** The webhook URL to give the router. */
    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/services/T0BENCH/B0BENCH/benchmark";
    }

    /** When the post of alarm N arrived (nanoTime), waiting at most the timeout; -1 if it did not come. */
    long awaitAlarm(int n, long timeoutMillis) throws InterruptedException {
        try {
            return arrival(n).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return -1;
        }
    }

    /** Every post received, alarms and anything else. */
    int posts() {
        return posts.get();
    }

    private CompletableFuture<Long> arrival(int n) {
        return arrivals.computeIfAbsent(n, k -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
