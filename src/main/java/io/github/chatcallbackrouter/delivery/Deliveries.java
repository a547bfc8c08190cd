package io.github.chatcallbackrouter.delivery;

import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.support.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The delivery machinery's Java side, used by deliveries.camel.yaml: finds a delivery's {@link Destination},
 * paces it, and turns it into the HTTP request that is posted, signing a relayed callback afresh at each try.
 */
public final class Deliveries implements CamelContextAware {

    /** Exchange property: the URL the prepared request is posted to (the route's toD). */
    public static final String URL = "deliveryUrl";

    private CamelContext camelContext;
    private String token = "";
    private volatile Map<String, Destination> destinations;
    private final Clock clock = Clock.systemUTC();

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The webhook authentication token, to sign relayed callbacks again (tencent.callback-token). */
    public void setToken(String token) {
        this.token = token == null ? "" : token.trim();
    }

    /** The destination a delivery names; an unknown name is a mistake in a route file. */
    public Destination destinationOf(Delivery delivery) {
        if (destinations == null) {
            destinations = camelContext.getRegistry().findByType(Destination.class).stream()
                    .collect(Collectors.toUnmodifiableMap(Destination::getName, d -> d, (a, b) -> a));
        }
        Destination destination = destinations.get(delivery.destination());
        if (destination == null) {
            throw new IllegalArgumentException("no Destination bean named '" + delivery.destination() + "' for "
                    + delivery.id());
        }
        return destination;
    }

    /** Milliseconds this delivery waits for its slot (its destination's pacing per URL); 0 when not paced. */
    public long pace(Delivery delivery) {
        return destinationOf(delivery).reserveSlot(delivery.url(), clock.millis());
    }

    /** The exchange becomes the POST of this delivery: body, Content-Type, the query (signed now), the URL. */
    public void prepare(Exchange exchange) {
        Delivery delivery = exchange.getIn().getBody(Delivery.class);
        Message in = exchange.getIn();
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.CONTENT_TYPE, delivery.contentType());
        if (delivery.query() != null && !delivery.query().isEmpty()) {
            in.setHeader(Exchange.HTTP_RAW_QUERY, delivery.signed()
                    ? CallbackSignature.resign(delivery.query(), token, clock.instant().getEpochSecond())
                    : delivery.query());
        }
        in.setBody(delivery.body());
        exchange.setProperty(URL, delivery.url());
    }

    /** What a rule forwards to an HTTP endpoint: the event (or alert) as JSON, delivered at least once. */
    public Delivery json(Object event, String url) throws Exception {
        return new Delivery(UUID.randomUUID() + "-http", "http", url, null, false,
                Json.MAPPER.writeValueAsString(event), "application/json", false, "forwarded to " + Destination.redact(url),
                Instant.now(clock).toString());
    }
}
