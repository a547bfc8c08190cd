package io.github.chatcallbackrouter.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The limit on this machine: a bare Vert.x HTTP server (the Vert.x the router runs on, default options) that reads
 * each request body fully and answers the OK ack as JSON, with no checks and no routing. Run in its own JVM, with
 * the router's jvm.options, so that the comparison is fair: {@code BareServer PORT}.
 */
public final class BareServer {

    private BareServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        start(port);
        System.out.println("bare Vert.x server listening on 127.0.0.1:" + port);
    }

    /** The server, listening; closing the Vert.x it runs on stops it. */
    static Vertx start(int port) {
        Buffer ack = Buffer.buffer(Ack.JSON);
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> request.body()
                        .onSuccess(body -> request.response().putHeader("Content-Type", "application/json").end(ack))
                        .onFailure(error -> request.response().setStatusCode(400).end()))
                .listen()
                .toCompletionStage().toCompletableFuture().join();
        return vertx;
    }
}
