package io.github.chatcallbackrouter.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.callback.BeforeAnswer;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import io.github.chatcallbackrouter.callback.CallbackIntake;
import io.github.chatcallbackrouter.callback.EventHeaders;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.support.BoundedLog;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.LogText;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private long budgetMillis = 1500;
    private Set<String> denyWhenDown = Set.of();
    private boolean memoryOnly;
    private int maxConnections = 500;
    private String token = "";
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
        if (!this.url.isEmpty()) {
            URI uri;
            try {
                uri = URI.create(this.url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("upstream.url: '" + this.url + "' is not a URL");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("upstream.url: '" + this.url
                        + "' is not an http(s) URL without a query (Chat's query is appended to it)");
            }
        }
    }

    /** Command words relayed, comma separated; * = every word but the alarms (list those to relay them too). */
    public void setCommands(String commaSeparated) {
        Set<String> words = Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(w -> !w.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.allButAlarms = words.contains("*");
        this.commands = words;
    }

    /** The longest a Before-callback waits for the backend; under Chat's own 2 s. */
    public void setBudgetMillis(long budgetMillis) {
        if (budgetMillis <= 0 || budgetMillis >= 2000) {
            throw new IllegalArgumentException("upstream.budget-ms: " + budgetMillis
                    + " is not between 1 and 1999 ms (Chat waits 2 s in all)");
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

    /** Asks the backend about a Before-callback; its answer (or the fail policy's) becomes the decision. */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message in = exchange.getIn();
        String command = in.getHeader(EventHeaders.COMMAND, String.class);
        String query = exchange.getProperty(CallbackIntake.RAW_QUERY, String.class);
        byte[] body = exchange.getProperty(CallbackIntake.RAW_BODY, byte[].class);
        AtomicBoolean done = new AtomicBoolean();
        HttpClient http = http();
        long timer = vertx.setTimer(budgetMillis, fired -> {
            if (done.compareAndSet(false, true)) {
                failed(in, command, "timeout", "no answer within " + budgetMillis + " ms");
                callback.done(false);
            }
        });
        http.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setAbsoluteURI(url + (query == null || query.isEmpty() ? "" : "?" + query))
                        .putHeader("Content-Type", "application/json")
                        .setIdleTimeout(budgetMillis))
                .compose(request -> request.send(Buffer.buffer(body == null ? new byte[0] : body))
                        .compose(response -> response.body().map(answer -> new Answer(response.statusCode(),
                                answer.toString(StandardCharsets.UTF_8)))))
                .onComplete(result -> {
                    if (!done.compareAndSet(false, true)) {
                        return;
                    }
                    vertx.cancelTimer(timer);
                    if (result.failed()) {
                        failed(in, command, "unreachable", LogText.of(result.cause().getClass().getSimpleName()
                                + ": " + result.cause().getMessage()));
                    } else {
                        answered(in, command, result.result());
                    }
                    callback.done(false);
                });
        return false;
    }

    private record Answer(int status, String body) {
    }

    /** 200 with a JSON object: Chat hears it unchanged. Anything else: the fail policy. */
    private void answered(Message in, String command, Answer answer) {
        if (answer.status() != 200) {
            failed(in, command, "status", "HTTP " + answer.status() + " " + LogText.of(answer.body()));
            return;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            failed(in, command, "not_json", "not a JSON object: " + LogText.of(answer.body()));
            return;
        }
        in.setHeader(BeforeAnswer.DECISION, "upstream");
        in.setHeader(BeforeAnswer.DECIDED_BY, "upstream");
        in.setHeader(BeforeAnswer.UPSTREAM_ANSWER, answer.body());
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
