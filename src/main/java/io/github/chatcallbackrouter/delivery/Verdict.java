package io.github.chatcallbackrouter.delivery;

/**
 * What one attempt of a delivery came to, as its {@link Receiver} judges the answer (status and body): the only thing
 * a receiver decides. What happens next (the wait, the lane's pause, giving up, the dead letter) is the
 * {@link DeliveryEngine}'s.
 *
 * @param kind       delivered, try again, wait what the receiver asked, or refused for good
 * @param waitMillis for {@link Kind#RATE_LIMITED}: how long the receiver asked its sender to wait
 * @param answer     the receiver's answer in one line (its status and its own words), for logs and dead letters
 */
public record Verdict(Kind kind, long waitMillis, String answer) {

    public enum Kind {
        /** The receiver took it. */
        DELIVERED,
        /** The receiver or the way to it failed (5xx, timeout, refused connection): try again after a backoff. */
        RETRY,
        /** The receiver asked to slow down (429, a robot's throttling code): the lane waits {@code waitMillis}. */
        RATE_LIMITED,
        /**
         * No answer after the whole message went out, to a receiver that cannot drop a duplicate (a group robot):
         * it may have been posted, so it is tried once more at most, then dead-lettered.
         */
        UNKNOWN,
        /** The receiver refused this message for good (bad key, bad payload, not found): dead letter at once. */
        REFUSED
    }

    public static Verdict delivered(String answer) {
        return new Verdict(Kind.DELIVERED, 0, answer);
    }

    public static Verdict retry(String answer) {
        return new Verdict(Kind.RETRY, 0, answer);
    }

    public static Verdict rateLimited(long waitMillis, String answer) {
        return new Verdict(Kind.RATE_LIMITED, Math.max(0, waitMillis), answer);
    }

    public static Verdict unknown(String answer) {
        return new Verdict(Kind.UNKNOWN, 0, answer);
    }

    public static Verdict refused(String answer) {
        return new Verdict(Kind.REFUSED, 0, answer);
    }
}
