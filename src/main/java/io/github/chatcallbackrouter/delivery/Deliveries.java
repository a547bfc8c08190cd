package io.github.chatcallbackrouter.delivery;

import io.github.chatcallbackrouter.callback.Refusal;
import io.github.chatcallbackrouter.support.BoundedLog;
import io.github.chatcallbackrouter.support.ContextServices;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.Urls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the route files use to deliver (channels.camel.yaml declares it): as a step, it keeps the exchange's
 * {@link Delivery} in the outbox and goes on once it is there; the {@link DeliveryService} of the CamelContext then
 * delivers it. The first such bean of a context makes the service; one made again by a reload of its file uses the
 * running service.
 */
public final class Deliveries extends AsyncProcessorSupport implements CamelContextAware {

    /**
     * Exchange property: when true, a delivery is posted while the route waits for its outcome, instead of being
     * kept in the outbox (kafka mode's alarms: the topic keeps them until the offset is committed).
     */
    public static final String AWAIT_OUTCOME = "ChatAwaitDelivery";

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
    private static final BoundedLog CREDENTIALS_LOG = new BoundedLog(1, Duration.ofMinutes(1));

    private CamelContext camelContext;
    private volatile DeliveryService service;
    private final Clock clock = Clock.systemUTC();

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /**
     * Joins the context's delivery service, or makes it from the context's settings, to start with the context
     * (the bean's init method).
     */
    public void register() {
        service = ContextServices.shared(camelContext, DeliveryService.class,
                () -> new DeliveryService(camelContext, clock));
    }

    /**
     * Kept in the outbox, then the route goes on (or, with {@value #AWAIT_OUTCOME}, delivered first). The exchange
     * fails when it cannot be kept: with the refusal outbox_full (503) when its destination's outbox is at its cap.
     */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Delivery delivery = exchange.getIn().getBody(Delivery.class);
        try {
            boolean await = Boolean.TRUE.equals(exchange.getProperty(AWAIT_OUTCOME, Boolean.class));
            (await ? service.deliver(delivery) : service.keep(delivery)).whenComplete((kept, failure) -> {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof DeliveryService.OutboxFullException full) {
                    // not a fault of the router's: its destination has not taken what waits for it
                    exchange.setException(Refusal.OUTBOX_FULL.because(full.getMessage()));
                } else if (cause != null) {
                    exchange.setException(cause);
                }
                callback.done(false);
            });
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        return false;
    }

    /**
     * What a rule forwards to an HTTP endpoint: the event (or alert) as JSON, delivered at least once. Credentials
     * in its URL (user:password@) are dropped, never kept or sent: the endpoint's refusal dead-letters it.
     */
    public Delivery json(Object event, String url, boolean alarm) throws Exception {
        if (Urls.hasCredentials(url)) {
            String note = CREDENTIALS_LOG.admit("credentials");
            if (note != null) {
                LOG.warn("A rule forwards to {} with credentials in the URL: they are dropped, neither sent nor kept"
                        + " (see docs/hostile-ground.md){}", Urls.redact(url), note);
            }
            url = Urls.withoutCredentials(url);
        }
        return new Delivery(UUID.randomUUID() + "-http", "http", url, null, false,
                Json.MAPPER.writeValueAsString(event), "application/json", false,
                "forwarded to " + Urls.redact(url), Instant.now(clock).toString(), alarm);
    }
}
