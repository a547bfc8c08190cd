package io.github.chatcallbackrouter.kamelet;

import io.github.chatcallbackrouter.delivery.Verdict;

/**
 * A robot did not take a message: it refused it, throttled it, or did not answer. Its {@link Verdict} says which and
 * how long the robot asked to wait, for an error handler that tells them apart.
 */
public final class ReceiverRefusedException extends Exception {

    private final transient Verdict verdict;

    public ReceiverRefusedException(String message, Verdict verdict) {
        super(message);
        this.verdict = verdict;
    }

    public Verdict verdict() {
        return verdict;
    }
}
