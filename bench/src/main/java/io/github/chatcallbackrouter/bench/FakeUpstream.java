package io.github.chatcallbackrouter.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The app's backend behind the router: answers every callback with Chat's OK after a fixed delay (a timer, so the
 * delay costs it no CPU), as a backend that takes its time to decide would.
 */
final class FakeUpstream implements AutoCloseable {

    static final String ALLOW = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final AtomicLong answered = new AtomicLong();
    private final HttpServer server;

    FakeUpstream(long delayMillis) {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> request.body().onSuccess(body -> vertx.setTimer(delayMillis, fired -> {
                    answered.incrementAndGet();
                    request.response().putHeader("Content-Type", "application/json").end(ALLOW);
                })))
                .listen().toCompletionStage().toCompletableFuture().join();
    }

    /** The callback URL to give the router (upstream.url). */
    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/app/callback";
    }

    int port() {
        return server.actualPort();
    }

    long answered() {
        return answered.get();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
