package io.github.chatcallbackrouter.support;

/**
 * The router cannot start, for a reason the operator can fix (a busy port, a data directory in use): the entry
 * point prints the message as one line and exits 1, whatever Camel wrapped it in.
 */
public final class CannotStartException extends RuntimeException {

    public CannotStartException(String message) {
        this(message, null);
    }

    public CannotStartException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
