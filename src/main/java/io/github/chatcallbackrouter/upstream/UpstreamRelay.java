package io.github.chatcallbackrouter.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.callback.BeforeAnswer;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import io.github.chatcallbackrouter.callback.CallbackIntake;
import io.github.chatcallbackrouter.callback.CallbackMeter;
import io.github.chatcallbackrouter.callback.EventHeaders;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.support.BoundedLog;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.LogText;
import io.github.chatcallbackrouter.support.Urls;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Predicate;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.CamelContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's own backend behind the router (upstream.url): the callbacks it wants (upstream.commands) are passed on
 * to it exactly as Chat sent them. A Before-callback waits for the backend's answer, within upstream.budget-ms
 * and without holding a thread (Vert.x's HTTP client on the event loop), and Chat hears that answer unchanged;
 * when the backend is slow, unreachable, not 200 or not JSON, the fail policy decides: allow, as Chat itself does
 * when an app does not answer, or deny for the words in upstream.deny-when-down. After-callbacks and alarms become
 * {@link Delivery deliveries}, delivered at least once by the delivery machinery.
 */
public final class UpstreamRelay extends AsyncProcessorSupport implements AsyncProcessor, Predicate,
        CamelContextAware {

    /** The name of the backend's {@link io.github.chatcallbackrouter.delivery.Destination}. */
    public static final String DESTINATION = "upstream";
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamRelay.class);

    private CamelContext camelContext;
    private String url = "";
    private Set<String> commands = Set.of();
    private boolean allButAlarms = true;
    private long budgetMillis = 1300;
    private Set<String> denyWhenDown = Set.of();
    private boolean memoryOnly;
    private int maxConnections = 500;
    private int maxAnswerBytes = 65_536;
    private String token = "";
    private String authorization = "";
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

    /** The backend's callback URL; empty turns relaying off. */
    public void setUrl(String url) {
        this.url = url == null ? "" : url.trim();
        if (this.url.isEmpty()) {
            return;
        }
        String problem = Urls.problem(this.url);
        if (problem == null && this.url.matches("[^?#]*[?#].*")) {
            problem = "has a query, and Chat's query is appended to it";
        }
        if (problem != null) {
            throw new IllegalArgumentException("upstream.url: '" + Urls.redact(this.url) + "' " + problem);
        }
    }

    /** The Authorization header sent with every call to the backend (upstream.authorization); empty: none. */
    public void setAuthorization(String authorization) {
        this.authorization = authorization == null ? "" : authorization.trim();
    }

    /** Command words relayed, comma separated; * = every word but the alarms (list those to relay them too). */
    public void setCommands(String commaSeparated) {
        Set<String> words = Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(w -> !w.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.allButAlarms = words.contains("*");
        this.commands = words;
    }

    /** The longest a Before-callback waits for the backend, from its arrival; under Chat's own 2 s. */
    public void setBudgetMillis(long budgetMillis) {
        if (budgetMillis <= 0 || budgetMillis > 1800) {
            throw new IllegalArgumentException("upstream.budget-ms: " + budgetMillis
                    + " is not between 1 and 1800 ms (Chat waits 2 s in all, and the answer must reach it)");
        }
        this.budgetMillis = budgetMillis;
    }

    /** Before-callback words denied when the backend cannot answer; the others are allowed. */
    public void setDenyWhenDown(String commaSeparated) {
        this.denyWhenDown = Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(w -> !w.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** disk: After-callbacks are kept in the outbox until delivered; memory: in a bounded queue only. */
    public void setKeep(String keep) {
        if (!keep.equals("disk") && !keep.equals("memory")) {
            throw new IllegalArgumentException("upstream.after.keep: '" + keep + "' is not disk or memory");
        }
        this.memoryOnly = keep.equals("memory");
    }

    public boolean isMemoryOnly() {
        return memoryOnly;
    }

    /** Connections kept open to the backend at most. */
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Bytes of the backend's answer to a Before-callback read at most; a longer one is the fail policy's case. */
    public void setMaxAnswerBytes(int maxAnswerBytes) {
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /** The webhook authentication token: a late relay is signed again with it. */
    public void setToken(String token) {
        this.token = token == null ? "" : token.trim();
    }

    /** Whether this command word goes to the backend. */
    public boolean relays(String command) {
        return !url.isEmpty() && command != null
                && (commands.contains(command) || allButAlarms && !EventHeaders.isAlarm(command));
    }

    /**
     * Whether the backend wants this callback (its ChatCommand header): the routes test it with the ref language,
     * a plain call, as it is asked of nearly every callback (a method call expression cost a fifth of the CPU).
     */
    @Override
    public boolean matches(Exchange exchange) {
        return relays(exchange.getIn().getHeader(EventHeaders.COMMAND, String.class));
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
        String query = exchange.getProperty(CallbackIntake.RAW_QUERY, String.class);
        byte[] body = exchange.getProperty(CallbackIntake.RAW_BODY, byte[].class);
        Long started = exchange.getProperty(CallbackMeter.STARTED, Long.class);
        long left = budgetMillis - (started == null ? 0 : (System.nanoTime() - started) / 1_000_000);
        if (left <= 0) {
            failed(in, command, "timeout", "no time left of upstream.budget-ms when its turn came");
            callback.done(true);
            return true;
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<HttpClientRequest> open = new AtomicReference<>();
        HttpClient http = http();
        long timer = vertx.setTimer(left, fired -> {
            if (done.compareAndSet(false, true)) {
                failed(in, command, "timeout", "no answer within " + budgetMillis + " ms");
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
                .setAbsoluteURI(url + (query == null || query.isEmpty() ? "" : "?" + query))
                .putHeader("Content-Type", "application/json")
                .setIdleTimeout(left);
        if (!authorization.isEmpty()) {
            options.putHeader("Authorization", authorization);
        }
        http.request(options)
                .onComplete(opened -> {
                    if (opened.failed()) {
                        once.accept(() -> unreachable(in, command, opened.cause()));
                        return;
                    }
                    HttpClientRequest request = opened.result();
                    open.set(request);
                    request.response(answered -> {
                        if (answered.failed()) {
                            once.accept(() -> unreachable(in, command, answered.cause()));
                            return;
                        }
                        read(request, answered.result(), answer -> once.accept(() -> answered(in, command, answer)),
                                tooLarge -> once.accept(() -> failed(in, command, "too_large",
                                        "an answer over upstream.max-answer-bytes (" + maxAnswerBytes + " bytes)")));
                    });
                    request.end(Buffer.buffer(body == null ? new byte[0] : body))
                            .onFailure(failure -> once.accept(() -> unreachable(in, command, failure)));
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

    private void unreachable(Message in, String command, Throwable cause) {
        failed(in, command, "unreachable", LogText.of(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
    }

    private record Answer(int status, byte[] body) {
    }

    /**
     * 200 with a JSON object Chat reads for this command (UTF-8, ActionStatus, ErrorCode, no field the command may
     * not change): Chat hears it unchanged. Anything else: the fail policy.
     */
    private void answered(Message in, String command, Answer answer) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(answer.body())).toString();
        } catch (CharacterCodingException e) {
            failed(in, command, "not_utf8", "its answer is not UTF-8");
            return;
        }
        if (answer.status() != 200) {
            failed(in, command, "status", "HTTP " + answer.status() + " " + LogText.of(text));
            return;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            failed(in, command, "not_json", "not a JSON object: " + LogText.of(text));
            return;
        }
        String problem = BeforeAnswer.problem(command, json);
        if (problem != null) {
            failed(in, command, problem.startsWith("it sets") ? "not_allowed" : "not_an_answer", problem);
            return;
        }
        in.setHeader(BeforeAnswer.DECISION, "upstream");
        in.setHeader(BeforeAnswer.DECIDED_BY, "upstream");
        in.setHeader(BeforeAnswer.UPSTREAM_ANSWER, text);
    }

    /** The backend's callback URL; empty when there is none. */
    public String url() {
        return url;
    }

    /** What a Before-callback of this word is answered when the backend cannot answer: allow, or deny. */
    public String fallbackDecision(String command) {
        return denyWhenDown.contains(command) ? "deny" : "allow";
    }

    private void failed(Message in, String command, String kind, String why) {
        String decision = fallbackDecision(command);
        in.setHeader(BeforeAnswer.DECISION, decision);
        in.setHeader(BeforeAnswer.DECIDED_BY, "fail-policy");
        String note = rate.admit(kind);
        if (note != null) {
            LOG.warn("The app's backend did not decide {} ({}): {}; {} it, by the fail policy{}", LogText.of(command),
                    kind, why, decision.equals("deny") ? "denied" : "allowed", note);
        }
    }

    /** An After-callback for the backend, exactly as Chat sent it; signed afresh at each try when late. */
    public Delivery afterDelivery(Exchange exchange) {
        CallbackEvent event = exchange.getIn().getBody(CallbackEvent.class);
        byte[] body = exchange.getProperty(CallbackIntake.RAW_BODY, byte[].class);
        return delivery(event.id() + "-upstream", exchange.getProperty(CallbackIntake.RAW_QUERY, String.class),
                new String(body, StandardCharsets.UTF_8), event.command() + " " + event.id(), false);
    }

    /** An alarm for the backend, after it was journaled: the query Chat sends alarms with, and the payload. */
    public Delivery alarmDelivery(Alert alert) {
        String query = "SdkAppid=" + encode(alert.sdkAppId()) + "&CallbackCommand=" + encode(alert.command())
                + "&contenttype=json" + (token.isEmpty() ? "" : "&Sign=&RequestTime=");
        return delivery(alert.eventId() + "-upstream", query, alert.payload().toString(),
                alert.command() + " " + alert.eventId(), true);
    }

    private Delivery delivery(String id, String query, String body, String subject, boolean alarm) {
        return new Delivery(id, DESTINATION, url, query, !token.isEmpty(), body, "application/json", memoryOnly,
                LogText.of(subject), Instant.now().toString(), alarm);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
                    .setConnectTimeout((int) budgetMillis)
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
