package io.github.chatcallbackrouter.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.callback.Arrival;
import io.github.chatcallbackrouter.callback.BeforeAnswer;
import io.github.chatcallbackrouter.callback.EventHeaders;
import io.github.chatcallbackrouter.support.BoundedLog;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.LogText;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.CamelContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Before-callback put to its app's backend ({@link Backends}), exactly as Chat sent it: it waits for the
 * backend's answer within upstream.budget-ms and without holding a thread (Vert.x's HTTP client on the event loop),
 * and Chat hears that answer unchanged; when the backend is slow, unreachable, not 200 or not JSON, the fail policy
 * decides: allow, as Chat itself does when an app does not answer, or deny for the words in upstream.deny-when-down.
 */
public final class UpstreamRelay extends AsyncProcessorSupport implements AsyncProcessor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamRelay.class);

    private CamelContext camelContext;
    private Backends backends;
    private int maxConnections = 500;
    private int maxAnswerBytes = 65_536;
    private final BoundedLog rate = new BoundedLog(5, Duration.ofSeconds(10));
    private volatile Vertx vertx;
    private boolean ownVertx;
    private HttpClient client;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The apps' backends, which say where each is, its budget and its fail policy. */
    public void setBackends(Backends backends) {
        this.backends = backends;
    }

    /** Connections kept open to each backend at most. */
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Bytes of the backend's answer to a Before-callback read at most; a longer one is the fail policy's case. */
    public void setMaxAnswerBytes(int maxAnswerBytes) {
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /**
     * Asks the backend about a Before-callback; its answer (or the fail policy's) becomes the decision. The budget
     * counts from the callback's arrival, as Chat's 2 seconds do; reading the answer stops at the budget and at
     * upstream.max-answer-bytes.
     */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message in = exchange.getIn();
        String command = in.getHeader(EventHeaders.COMMAND, String.class);
        Backend backend = backends.of(exchange);
        Arrival arrival = Arrival.of(exchange);
        String query = arrival.rawQuery();
        byte[] body = arrival.rawBody();
        long budgetMillis = backend.budgetMillis();
        long left = budgetMillis - (System.nanoTime() - arrival.startedNanos()) / 1_000_000;
        if (left <= 0) {
            failed(in, backend, command, "timeout", "no time left of upstream.budget-ms when its turn came");
            callback.done(true);
            return true;
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<HttpClientRequest> open = new AtomicReference<>();
        HttpClient http = http();
        long timer = vertx.setTimer(left, fired -> {
            if (done.compareAndSet(false, true)) {
                failed(in, backend, command, "timeout", "no answer within " + budgetMillis + " ms");
                callback.done(false);
            }
            HttpClientRequest late = open.get();
            if (late != null) {
                late.reset(); // nothing more is read of it
            }
        });
        java.util.function.Consumer<Runnable> once = decide -> {
            if (done.compareAndSet(false, true)) {
                vertx.cancelTimer(timer);
                decide.run();
                callback.done(false);
            }
        };
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(backend.url() + (query == null || query.isEmpty() ? "" : "?" + query))
                .putHeader("Content-Type", "application/json")
                .setIdleTimeout(left);
        if (!backend.authorization().isEmpty()) {
            options.putHeader("Authorization", backend.authorization());
        }
        http.request(options)
                .onComplete(opened -> {
                    if (opened.failed()) {
                        once.accept(() -> unreachable(in, backend, command, opened.cause()));
                        return;
                    }
                    HttpClientRequest request = opened.result();
                    open.set(request);
                    request.response(answered -> {
                        if (answered.failed()) {
                            once.accept(() -> unreachable(in, backend, command, answered.cause()));
                            return;
                        }
                        read(request, answered.result(), answer -> once.accept(() -> answered(in, backend, command,
                                        answer)),
                                tooLarge -> once.accept(() -> failed(in, backend, command, "too_large",
                                        "an answer over upstream.max-answer-bytes (" + maxAnswerBytes + " bytes)")));
                    });
                    request.end(Buffer.buffer(body == null ? new byte[0] : body))
                            .onFailure(failure -> once.accept(() -> unreachable(in, backend, command, failure)));
                });
        return false;
    }

    /** The answer's bytes up to the limit; past it, nothing more is read and the connection is closed. */
    private void read(HttpClientRequest request, HttpClientResponse response, java.util.function.Consumer<Answer> whole,
                      java.util.function.Consumer<Void> tooLarge) {
        Buffer body = Buffer.buffer();
        AtomicBoolean over = new AtomicBoolean();
        response.handler(chunk -> {
            if (over.get()) {
                return;
            }
            if (body.length() + chunk.length() > maxAnswerBytes) {
                over.set(true);
                request.connection().close();
                tooLarge.accept(null);
                return;
            }
            body.appendBuffer(chunk);
        });
        response.exceptionHandler(failure -> {
            if (!over.get()) {
                tooLarge.accept(null);
            }
        });
        response.endHandler(ended -> {
            if (!over.get()) {
                whole.accept(new Answer(response.statusCode(), body.getBytes()));
            }
        });
    }

    private void unreachable(Message in, Backend backend, String command, Throwable cause) {
        failed(in, backend, command, "unreachable", LogText.of(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
    }

    private record Answer(int status, byte[] body) {
    }

    /**
     * 200 with a JSON object Chat reads for this command (UTF-8, ActionStatus, ErrorCode, no field the command may
     * not change): Chat hears it unchanged. Anything else: the fail policy.
     */
    private void answered(Message in, Backend backend, String command, Answer answer) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(answer.body())).toString();
        } catch (CharacterCodingException e) {
            failed(in, backend, command, "not_utf8", "its answer is not UTF-8");
            return;
        }
        if (answer.status() != 200) {
            failed(in, backend, command, "status", "HTTP " + answer.status() + " " + LogText.of(text));
            return;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            failed(in, backend, command, "not_json", "not a JSON object: " + LogText.of(text));
            return;
        }
        String problem = BeforeAnswer.problem(command, json);
        if (problem != null) {
            failed(in, backend, command, problem.startsWith("it sets") ? "not_allowed" : "not_an_answer", problem);
            return;
        }
        in.setHeader(BeforeAnswer.DECISION, "upstream");
        in.setHeader(BeforeAnswer.DECIDED_BY, "upstream");
        in.setHeader(BeforeAnswer.UPSTREAM_ANSWER, text);
    }

    private void failed(Message in, Backend backend, String command, String kind, String why) {
        String decision = backend.fallbackDecision(command);
        in.setHeader(BeforeAnswer.DECISION, decision);
        in.setHeader(BeforeAnswer.DECIDED_BY, "fail-policy");
        String note = rate.admit(kind);
        if (note != null) {
            LOG.warn("App {}'s backend did not decide {} ({}): {}; {} it, by the fail policy{}", backend.app(),
                    LogText.of(command), kind, why, decision.equals("deny") ? "denied" : "allowed", note);
        }
    }

    /** The HTTP client, on the callback server's Vert.x (or one of its own where the routes are embedded). */
    private synchronized HttpClient http() {
        if (client == null) {
            vertx = CamelContextHelper.findSingleByType(camelContext, Vertx.class);
            if (vertx == null) {
                vertx = Vertx.vertx();
                ownVertx = true;
            }
            client = vertx.createHttpClient(new HttpClientOptions()
                    .setMaxPoolSize(maxConnections)
                    .setKeepAlive(true)
                    // an idle connection is dropped before the backend drops it (Node.js does at 5 s), so a
                    // Before-callback is not sent on one that is closing
                    .setKeepAliveTimeout(4)
                    .setConnectTimeout((int) Backend.MAX_BUDGET_MILLIS)
                    .setMaxWaitQueueSize(maxConnections * 4));
        }
        return client;
    }

    @Override
    protected void doStop() throws Exception {
        if (client != null) {
            client.close();
            client = null;
        }
        if (ownVertx && vertx != null) {
            vertx.close();
        }
        vertx = null;
    }
}
