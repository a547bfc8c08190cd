package io.github.chatcallbackrouter.support;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer's exception handler that says what failed in one line, without the message body (it may carry
 * users' messages) or a stack trace, at a bounded rate per route. For failures that are tried again later, where
 * a stack trace per try would bury the log.
 */
public final class FailureLog implements ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FailureLog.class);

    private final BoundedLog rate = new BoundedLog(10, Duration.ofSeconds(10));
    private String what = "A route failed";

    /** What failed and what happens next, e.g. "The rules failed for an event; an alarm is tried again". */
    public void setWhat(String what) {
        this.what = what;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String route = exchange == null ? null : exchange.getFromRouteId();
        String note = rate.admit(String.valueOf(route));
        if (note != null) {
            LOG.error("{} (route {}): {}{}", what, route, exception == null ? "unknown"
                    : LogText.of(exception.getClass().getSimpleName() + ": " + exception.getMessage()), note);
        }
    }
}
