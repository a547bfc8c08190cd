package io.github.chatcallbackrouter.delivery;

import io.github.chatcallbackrouter.support.LogText;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The posts of every delivery, on Vert.x's HTTP client: connections are kept alive and reused per host, no thread
 * waits for an answer, and every answer is read within limits (its bytes, and one deadline for the whole
 * exchange), so a receiver that answers slowly or endlessly holds nothing of the router's.
 */
final class HttpTransport implements AutoCloseable {

    /** Connections kept per host at most; a lane's own in-flight limit is what bounds its posts. */
    private static final int MAX_CONNECTIONS_PER_HOST = 64;

    /** What came of one post: an answer, or why there was none and whether the whole request had gone out. */
    record Outcome(Receiver.Answer answer, String failure, boolean sent) {
    }

    private final Vertx vertx;
    private final boolean ownVertx;
    private final HttpClient client;
    private final long deadlineMillis;
    private final long answerTimeoutMillis;
    private final int maxAnswerBytes;

    /**
     * @param vertx               the callback server's Vert.x, or null for one of its own (routes embedded elsewhere)
     * @param answerTimeoutMillis the receiver answers (each part of its answer) within this once the post is sent;
     *                            connecting, sending and answering all take connect + answer timeout at most, or the
     *                            post failed (a timeout: tried again)
     * @param maxAnswerBytes      bytes of an answer read at most; the rest is not read, the connection is closed
     */
    HttpTransport(Vertx vertx, long connectTimeoutMillis, long answerTimeoutMillis, int maxAnswerBytes) {
        this.ownVertx = vertx == null;
        this.vertx = vertx == null ? Vertx.vertx() : vertx;
        this.deadlineMillis = connectTimeoutMillis + answerTimeoutMillis;
        this.answerTimeoutMillis = answerTimeoutMillis;
        this.maxAnswerBytes = maxAnswerBytes;
        this.client = this.vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(MAX_CONNECTIONS_PER_HOST)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
                // a post waits for a connection only as long as its own deadline
                .setMaxWaitQueueSize(-1));
    }

    /** Posts the request; {@code done} is called once, on a Vert.x thread, with the answer or the failure. */
    void post(Receiver.Request request, Consumer<Outcome> done) {
        AtomicBoolean finished = new AtomicBoolean();
        Consumer<Outcome> once = outcome -> {
            if (finished.compareAndSet(false, true)) {
                done.accept(outcome);
            }
        };
        RequestOptions options;
        try {
            options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(request.url())
                    .setIdleTimeout(answerTimeoutMillis);
        } catch (RuntimeException e) {
            once.accept(new Outcome(null, "not a URL that can be posted to: " + LogText.of(e.getMessage()), false));
            return;
        }
        request.headers().forEach(options::putHeader);
        AtomicReference<HttpClientRequest> open = new AtomicReference<>();
        AtomicBoolean sent = new AtomicBoolean();
        long timer = vertx.setTimer(deadlineMillis, fired -> {
            once.accept(new Outcome(null, "timeout: no answer within " + deadlineMillis + " ms", sent.get()));
            HttpClientRequest late = open.get();
            if (late != null) {
                late.reset(); // its connection is not reused mid-exchange
            }
        });
        client.request(options).onComplete(opened -> {
            if (opened.failed()) {
                vertx.cancelTimer(timer);
                once.accept(new Outcome(null, describe(opened.cause()), false));
                return;
            }
            HttpClientRequest post = opened.result();
            open.set(post);
            post.response(answered -> {
                if (answered.failed()) {
                    vertx.cancelTimer(timer);
                    once.accept(new Outcome(null, describe(answered.cause()), sent.get()));
                    return;
                }
                read(post, answered.result(), answer -> {
                    vertx.cancelTimer(timer);
                    once.accept(answer);
                });
            });
            post.end(Buffer.buffer(request.body())).onComplete(written -> {
                if (written.succeeded()) {
                    sent.set(true);
                } else {
                    vertx.cancelTimer(timer);
                    once.accept(new Outcome(null, describe(written.cause()), false));
                }
            });
            if (finished.get()) {
                post.reset();
            }
        });
    }

    /** The answer's status, headers and at most maxAnswerBytes of its body. */
    private void read(HttpClientRequest post, HttpClientResponse response, Consumer<Outcome> done) {
        Map<String, String> headers = new HashMap<>();
        response.headers().forEach(header -> headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT),
                header.getValue()));
        Buffer body = Buffer.buffer();
        AtomicBoolean cut = new AtomicBoolean();
        Runnable answered = () -> done.accept(new Outcome(new Receiver.Answer(response.statusCode(), headers,
                body.toString(StandardCharsets.UTF_8)), null, true));
        response.handler(chunk -> {
            if (cut.get()) {
                return;
            }
            int room = maxAnswerBytes - body.length();
            body.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, Math.max(0, room)));
            if (chunk.length() > room) {
                // enough read: the rest is not wanted, and the connection cannot be reused mid-answer
                cut.set(true);
                answered.run();
                post.connection().close();
            }
        });
        response.exceptionHandler(failed -> {
            if (!cut.get()) {
                done.accept(new Outcome(null, describe(failed), true));
            }
        });
        response.endHandler(ended -> {
            if (!cut.get()) {
                answered.run();
            }
        });
    }

    private static String describe(Throwable failure) {
        return LogText.of(failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    @Override
    public void close() {
        client.close();
        if (ownVertx) {
            vertx.close();
        }
    }
}
