package io.github.chatcallbackrouter.delivery;

import io.github.chatcallbackrouter.support.RouterMeters;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When and how long to wait before posting a delivery again, all in one place, for every destination. It is the
 * delivery route's {@code retryWhile}: Camel asks it after each failed post, and it records the attempt, reads the
 * answer ({@link DeliveryAnswer}) and sets the delay of the next try from the delivery's {@link Destination}:
 * <ul>
 *   <li>429: exactly the Retry-After the destination gave;</li>
 *   <li>5xx, timeouts, refused connections: exponential backoff with jitter;</li>
 *   <li>any other answer (invalid_payload, no_service, 401, 404, ...): no retry;</li>
 *   <li>and no retry once the next try would be later than give-up-after from the first.</li>
 * </ul>
 */
public final class DeliveryRetryPolicy implements Predicate {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRetryPolicy.class);
    static final String ATTEMPTS = "deliveryAttempts";
    /** Exchange property of the delivery being posted, set by the delivery route. */
    static final String DELIVERY = "delivery";
    static final String GIVE_UP_REASON = "deliveryGiveUpReason";
    private static final String FIRST_FAILURE = "deliveryFirstFailure";

    private Deliveries deliveries;
    private final Clock clock;

    public DeliveryRetryPolicy() {
        this(Clock.systemUTC());
    }

    /** With a clock of the test's, which moves time on without waiting. */
    DeliveryRetryPolicy(Clock clock) {
        this.clock = clock;
    }

    public void setDeliveries(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        DeliveryAnswer answer = DeliveryAnswer.of(failure);
        Delivery delivery = exchange.getProperty(DELIVERY, Delivery.class);
        Destination destination = deliveries.destinationOf(delivery);
        long now = clock.millis();
        attempts(exchange).add(new DeadLetter.Attempt(Instant.ofEpochMilli(now).toString(), answer.description()));
        long firstFailure = exchange.getProperty(FIRST_FAILURE, now, Long.class);
        exchange.setProperty(FIRST_FAILURE, firstFailure);

        if (!answer.kind().retryable()) {
            exchange.setProperty(GIVE_UP_REASON, delivery.destination() + " refused it: " + answer.description());
            return false;
        }
        int failures = attempts(exchange).size();
        long delay = answer.retryAfterMillis() != null ? answer.retryAfterMillis()
                : backoff(destination, failures);
        if (now + delay - firstFailure > destination.giveUpAfterMillis()) {
            exchange.setProperty(GIVE_UP_REASON, "still failing after " + TimeUtils.printDuration(
                    now - firstFailure, true) + " and " + failures + " attempts: " + answer.description());
            return false;
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        RouterMeters.delivery(delivery.destination(), answer.retryAfterMillis() != null ? "rate_limited" : "retried");
        LOG.warn("Delivery {} to {} failed ({}): {}; retrying in {} ms", delivery.id(), delivery.destination(),
                answer.kind(), answer.description(), delay);
        return true;
    }

    /** initial x 2^(n-1), capped, times a random factor in [0.5, 1.5) so many routers do not retry in step. */
    static long backoff(Destination destination, int failures) {
        double exponential = destination.initialDelayMillis() * Math.pow(2, Math.min(failures - 1, 30));
        double jitter = 0.5 + ThreadLocalRandom.current().nextDouble();
        return (long) (Math.min(exponential, destination.maxDelayMillis()) * jitter);
    }

    /** The dead letter for a delivery the error handler gave up on. */
    public DeadLetter deadLetter(Exchange exchange) {
        // the delivery route keeps the delivery aside: by now the body is what was posted
        Delivery delivery = exchange.getProperty(DELIVERY, Delivery.class);
        String reason = exchange.getProperty(GIVE_UP_REASON, String.class);
        if (reason == null) {
            Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            reason = "failed: " + DeliveryAnswer.of(failure).description();
        }
        RouterMeters.delivery(delivery.destination(), "dead_lettered");
        return new DeadLetter(delivery.id(), delivery.destination(), reason, delivery,
                List.copyOf(attempts(exchange)));
    }

    @SuppressWarnings("unchecked")
    private static List<DeadLetter.Attempt> attempts(Exchange exchange) {
        List<DeadLetter.Attempt> attempts = exchange.getProperty(ATTEMPTS, List.class);
        if (attempts == null) {
            attempts = new ArrayList<>();
            exchange.setProperty(ATTEMPTS, attempts);
        }
        return attempts;
    }
}
