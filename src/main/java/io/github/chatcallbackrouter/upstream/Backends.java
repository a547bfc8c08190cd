package io.github.chatcallbackrouter.upstream;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.callback.Apps;
import io.github.chatcallbackrouter.callback.Arrival;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import io.github.chatcallbackrouter.callback.EventHeaders;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.support.LogText;
import io.github.chatcallbackrouter.support.Urls;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * The apps' own backends behind the router ({@code apps.NAME.upstream.*}, else {@code upstream.*}): which callbacks
 * each wants, where it is, what its fail policy decides, and the {@link Delivery deliveries} it is sent: an
 * After-callback exactly as Chat sent it, an alarm once journaled, delivered at least once in the app's own lanes
 * ({@code upstream:APP}). A Before-callback is put to the backend by {@link UpstreamRelay}.
 */
public final class Backends implements Predicate, CamelContextAware {

    /** The name of the backends' {@link io.github.chatcallbackrouter.delivery.Destination}. */
    public static final String DESTINATION = "upstream";

    private CamelContext camelContext;
    private volatile Map<String, Backend> backends = Map.of();
    private boolean memoryOnly;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Reads each app's backend (apps.NAME.upstream.*, else upstream.*): a mistake stops the start, naming it. */
    public void check() {
        Apps apps = Apps.of(camelContext);
        Map<String, Backend> read = new LinkedHashMap<>();
        for (Apps.App app : apps.all()) {
            read.put(app.name(), Backend.of(app, apps.declared()));
        }
        backends = Collections.unmodifiableMap(read); // in the apps' order, for the start-up summary
    }

    /** disk: After-callbacks are kept in the outbox until delivered; memory: in a bounded queue only. */
    public void setKeep(String keep) {
        if (!keep.equals("disk") && !keep.equals("memory")) {
            throw new IllegalArgumentException("upstream.after.keep: '" + keep + "' is not disk or memory");
        }
        this.memoryOnly = keep.equals("memory");
    }

    /** Whether this app's backend wants this command word. */
    public boolean relays(String app, String command) {
        Backend backend = backends.get(app);
        return backend != null && backend.relays(command);
    }

    /** Where this app's backend is; empty when it has none. */
    public String url(String app) {
        Backend backend = backends.get(app);
        return backend == null ? "" : backend.url();
    }

    /** What a Before-callback of this word for this app is answered when its backend cannot answer. */
    public String fallbackDecision(String app, String command) {
        Backend backend = backends.get(app);
        return backend == null ? "allow" : backend.fallbackDecision(command);
    }

    /** Each app's backend, one line each, for the start-up summary; no secret. */
    public List<String> describe() {
        return backends.values().stream().map(backend -> "app " + backend.app() + "'s backend: " + (backend.url()
                .isEmpty() ? "none" : Urls.redact(backend.url()) + ", for " + String.join(",",
                new TreeSet<>(backend.commands())))).toList();
    }

    /**
     * Whether the backend wants this callback (its ChatCommand header): the routes test it with the ref language,
     * a plain call, as it is asked of nearly every callback (a method call expression cost a fifth of the CPU).
     */
    @Override
    public boolean matches(Exchange exchange) {
        return relays(exchange.getIn().getHeader(EventHeaders.APP, String.class),
                exchange.getIn().getHeader(EventHeaders.COMMAND, String.class));
    }

    /** The backend of this callback's app (one the routes found it wants, {@link #matches}). */
    Backend of(Exchange exchange) {
        return backends.get(exchange.getIn().getHeader(EventHeaders.APP, String.class));
    }

    /** An After-callback for the backend, exactly as Chat sent it; signed afresh at each try when late. */
    public Delivery afterDelivery(Exchange exchange) {
        CallbackEvent event = exchange.getIn().getBody(CallbackEvent.class);
        Arrival arrival = Arrival.of(exchange);
        return delivery(backends.get(event.app()), event.id() + "-upstream",
                arrival.rawQuery(), new String(arrival.rawBody(), StandardCharsets.UTF_8),
                event.command() + " " + event.id(), false);
    }

    /** An alarm for the backend, after it was journaled: the query Chat sends alarms with, and the payload. */
    public Delivery alarmDelivery(Alert alert) {
        Backend backend = backends.get(Apps.of(camelContext).label(alert.sdkAppId()));
        String query = "SdkAppid=" + encode(alert.sdkAppId()) + "&CallbackCommand=" + encode(alert.command())
                + "&contenttype=json" + (backend.token().isEmpty() ? "" : "&Sign=&RequestTime=");
        return delivery(backend, alert.eventId() + "-upstream", query, alert.payload().toString(),
                alert.command() + " " + alert.eventId(), true);
    }

    /** A delivery to the app's backend, in its own lanes ({@code upstream:APP}): signed and authorised per app. */
    private Delivery delivery(Backend backend, String id, String query, String body, String subject, boolean alarm) {
        return new Delivery(id, DESTINATION + ":" + backend.app(), backend.url(), query, !backend.token().isEmpty(),
                body, "application/json", memoryOnly, LogText.of(subject), Instant.now().toString(), alarm);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
