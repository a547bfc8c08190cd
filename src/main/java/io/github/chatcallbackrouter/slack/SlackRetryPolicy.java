package io.github.chatcallbackrouter.slack;

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
 * When and how long to wait before posting to Slack again, all in one place. It is the slack-delivery route's
 * {@code retryWhile}: Camel asks it after each failed post, and it records the attempt, classifies Slack's answer
 * and sets the delay of the next try:
 * <ul>
 *   <li>429: exactly the Retry-After Slack gave;</li>
 *   <li>5xx, timeouts, refused connections: exponential backoff with jitter;</li>
 *   <li>any other answer (invalid_payload, no_service, channel_not_found, ...): no retry;</li>
 *   <li>and no retry once the next try would be later than give-up-after from the first.</li>
 * </ul>
 */
public final class SlackRetryPolicy implements Predicate {

    private static final Logger LOG = LoggerFactory.getLogger(SlackRetryPolicy.class);
    static final String ATTEMPTS = "slackAttempts";
    /** Exchange property of the delivery being posted, set by the slack-post route. */
    static final String DELIVERY = "slackDelivery";
    static final String GIVE_UP_REASON = "slackGiveUpReason";
    private static final String FIRST_FAILURE = "slackFirstFailure";

    private long initialDelayMillis = 1000;
    private long maxDelayMillis = 300_000;
    private long giveUpAfterMillis = 3_600_000;
    private final Clock clock = Clock.systemUTC();

    /** First backoff delay, e.g. 1s. */
    public void setInitialDelay(String duration) {
        this.initialDelayMillis = TimeUtils.toMilliSeconds(duration);
    }

    /** Longest backoff delay, e.g. 5m. */
    public void setMaxDelay(String duration) {
        this.maxDelayMillis = TimeUtils.toMilliSeconds(duration);
    }

    /** Total time after the first failure beyond which a message is dead-lettered, e.g. 1h. */
    public void setGiveUpAfter(String duration) {
        this.giveUpAfterMillis = TimeUtils.toMilliSeconds(duration);
    }

    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SlackAnswer answer = SlackAnswer.of(failure);
        long now = clock.millis();
        attempts(exchange).add(new DeadLetter.Attempt(Instant.ofEpochMilli(now).toString(), answer.description()));
        long firstFailure = exchange.getProperty(FIRST_FAILURE, now, Long.class);
        exchange.setProperty(FIRST_FAILURE, firstFailure);

        if (!answer.kind().retryable()) {
            exchange.setProperty(GIVE_UP_REASON, "Slack refused it: " + answer.description());
            return false;
        }
        int failures = attempts(exchange).size();
        long delay = answer.retryAfterMillis() != null ? answer.retryAfterMillis() : backoff(failures);
        if (now + delay - firstFailure > giveUpAfterMillis) {
            exchange.setProperty(GIVE_UP_REASON, "still failing after " + TimeUtils.printDuration(
                    now - firstFailure, true) + " and " + failures + " attempts: " + answer.description());
            return false;
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        RouterMeters.slackPost(answer.retryAfterMillis() != null ? "rate_limited" : "retried");
        LOG.warn("Slack post failed ({}): {}; retrying in {} ms", answer.kind(), answer.description(), delay);
        return true;
    }

    /** initial x 2^(n-1), capped, times a random factor in [0.5, 1.5) so many routers do not retry in step. */
    long backoff(int failures) {
        double exponential = initialDelayMillis * Math.pow(2, Math.min(failures - 1, 30));
        double jitter = 0.5 + ThreadLocalRandom.current().nextDouble();
        return (long) (Math.min(exponential, maxDelayMillis) * jitter);
    }

    /** The dead letter for a delivery the error handler gave up on. */
    public DeadLetter deadLetter(Exchange exchange) {
        // the slack-post route keeps the delivery aside: by now the body is the message Slack was sent
        SlackDelivery delivery = exchange.getProperty(DELIVERY, SlackDelivery.class);
        String reason = exchange.getProperty(GIVE_UP_REASON, String.class);
        if (reason == null) {
            Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            reason = "failed: " + SlackAnswer.of(failure).description();
        }
        RouterMeters.slackPost("dead_lettered");
        return new DeadLetter(delivery.id(), "slack", reason, delivery, List.copyOf(attempts(exchange)));
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
