package io.github.chatcallbackrouter.delivery;

import io.github.chatcallbackrouter.callback.Refusal;
import io.github.chatcallbackrouter.support.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.util.TimeUtils;

/**
 * What the route files use to deliver (deliveries.camel.yaml declares it): as a step, it keeps the exchange's
 * {@link Delivery} in the outbox and goes on once it is there; the {@link DeliveryService} of the CamelContext then
 * delivers it. The settings are the service's when this bean is the first of its context; a bean made again by a
 * reload of its file uses the running service.
 */
public final class Deliveries extends AsyncProcessorSupport implements CamelContextAware {

    private CamelContext camelContext;
    private Path dataDirectory = Path.of("data");
    private long recoverIntervalMillis = 15_000;
    private long connectTimeoutMillis = 3_000;
    private long responseTimeoutMillis = 5_000;
    private int maxMemoryHeld = 10_000;
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

    /** The router's data directory: the outbox is in outbox/, the dead letters in dead-letter/. */
    public void setDataDirectory(String dataDirectory) {
        this.dataDirectory = Path.of(dataDirectory);
    }

    /** How often deliveries dropped into the outbox as files (replay) are taken in, e.g. 15s. */
    public void setRecoverInterval(String duration) {
        this.recoverIntervalMillis = TimeUtils.toMilliSeconds(duration);
    }

    /** Milliseconds to wait for a connection to a destination. */
    public void setConnectTimeoutMillis(long connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** Milliseconds to wait for a destination's answer once connected. */
    public void setResponseTimeoutMillis(long responseTimeoutMillis) {
        this.responseTimeoutMillis = responseTimeoutMillis;
    }

    /** Deliveries kept in memory only (upstream.after.keep=memory) at most. */
    public void setMaxMemoryHeld(int maxMemoryHeld) {
        this.maxMemoryHeld = maxMemoryHeld;
    }

    /** Joins the context's delivery service, or makes it, to start with the context (the bean's init method). */
    public void register() throws Exception {
        synchronized (camelContext) {
            DeliveryService running = camelContext.hasService(DeliveryService.class);
            if (running == null) {
                running = new DeliveryService(camelContext, new DeliveryService.Settings(dataDirectory,
                        recoverIntervalMillis, connectTimeoutMillis, responseTimeoutMillis, maxMemoryHeld), clock);
                camelContext.addService(running, true, false);
            }
            service = running;
        }
    }

    /**
     * Kept in the outbox, then the route goes on; the exchange fails when it cannot be kept: with the refusal
     * outbox_full (503) when its destination's outbox is at its cap.
     */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Delivery delivery = exchange.getIn().getBody(Delivery.class);
        try {
            service.keep(delivery).whenComplete((kept, failure) -> {
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

    /** What a rule forwards to an HTTP endpoint: the event (or alert) as JSON, delivered at least once. */
    public Delivery json(Object event, String url, boolean alarm) throws Exception {
        return new Delivery(UUID.randomUUID() + "-http", "http", url, null, false,
                Json.MAPPER.writeValueAsString(event), "application/json", false,
                "forwarded to " + Destination.redact(url), Instant.now(clock).toString(), alarm);
    }
}
