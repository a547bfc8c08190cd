package io.github.chatcallbackrouter.callback;

import io.github.chatcallbackrouter.support.BoundedLog;
import io.github.chatcallbackrouter.support.LogText;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever stopped a callback into Tencent's FAIL answer with the right HTTP status, and logs it with its
 * reason. Refusals are a caller's mistake (a WARN line, never a stack trace); anything else is a bug (an ERROR
 * line with the stack trace), still answered as JSON. Lines of one kind are logged at a bounded rate, so a flood
 * of bad requests cannot flood the log; chat_callbacks_total counts every one.
 */
public final class RefusalAnswer implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalAnswer.class);
    /** Per router: a burst of 10 lines of one refusal kind, then one a second. */
    private final BoundedLog rate = new BoundedLog(10, Duration.ofSeconds(1));
    private CamelContext camelContext;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message in = exchange.getIn();
        String query = in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        long started = Arrival.of(exchange).startedNanos();
        Refusal refusal;
        String answer;
        if (cause instanceof CallbackRefusedException refused) {
            refusal = refused.refusal();
            answer = refuse(refusal, refused.getMessage(), query, started);
        } else if (isQueueFull(cause)) {
            refusal = Refusal.OVERLOADED;
            answer = refuse(refusal, "the router's hand-off queue is full; try again", query, started);
        } else if (Boolean.TRUE.equals(in.getHeader(EventHeaders.IS_ALERT, Boolean.class))) {
            // an alarm that passed every check fails only where it is kept: the journal's disk or Kafka
            refusal = Refusal.ALARM_NOT_KEPT;
            answer = notKept(cause, query, started);
        } else {
            refusal = Refusal.INTERNAL_ERROR;
            answer = failed(cause, query, started);
        }
        String allow = in.getHeader("Allow", String.class);
        in.removeHeaders("*");
        if (allow != null) {
            in.setHeader("Allow", allow);
        }
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, refusal.httpStatus());
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(answer);
    }

    /**
     * Logs (at a bounded rate) and counts a refusal; returns the FAIL JSON to answer. For refusals made before a
     * route runs too (the callback server refuses some before it reads the body).
     */
    public String refuse(Refusal refusal, String reason, String rawQuery, long startedNanos) {
        Caller caller = Caller.of(rawQuery);
        String note = rate.admit(refusal.label());
        if (note != null) {
            LOG.warn("Refused callback {} for SdkAppid {}: HTTP {} {}: {}{}", LogText.of(caller.command()),
                    LogText.of(caller.sdkAppId()), refusal.httpStatus(), refusal.label(), reason, note);
        }
        CallbackMeter.refused(appLabel(caller.sdkAppId()), caller.command(), refusal, startedNanos);
        return CallbackAnswer.fail(refusal, reason);
    }

    /** A bug, not the caller's mistake: logged with its stack trace (at a bounded rate), answered 500 FAIL. */
    private String failed(Throwable cause, String rawQuery, long startedNanos) {
        Caller caller = Caller.of(rawQuery);
        String note = rate.admit(Refusal.INTERNAL_ERROR.label());
        if (note != null) {
            LOG.error("Failed callback {} for SdkAppid {}{}", LogText.of(caller.command()),
                    LogText.of(caller.sdkAppId()), note, cause);
        }
        CallbackMeter.refused(appLabel(caller.sdkAppId()), caller.command(), Refusal.INTERNAL_ERROR, startedNanos);
        return CallbackAnswer.fail(Refusal.INTERNAL_ERROR, "the router could not handle this callback");
    }

    /**
     * An alarm the router could not keep anywhere (its disk refuses it and memory is full too): Chat hears 503, and
     * will not send it again; the operator reads why, once a second at most, without a stack trace.
     */
    private String notKept(Throwable cause, String rawQuery, long startedNanos) {
        Caller caller = Caller.of(rawQuery);
        String note = rate.admit(Refusal.ALARM_NOT_KEPT.label());
        if (note != null) {
            LOG.error("Refused alarm {} for SdkAppid {}: HTTP 503 alarm_not_kept: it could not be kept: {}{}",
                    LogText.of(caller.command()), LogText.of(caller.sdkAppId()), LogText.of(rootMessage(cause)), note);
        }
        CallbackMeter.refused(appLabel(caller.sdkAppId()), caller.command(), Refusal.ALARM_NOT_KEPT, startedNanos);
        return CallbackAnswer.fail(Refusal.ALARM_NOT_KEPT, "the router could not keep this alarm: its disk refuses it"
                + " and its memory for alarms is full");
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == null ? "unknown" : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** A full seda queue: Camel says so with one exception or another, depending on how the producer waited. */
    private static boolean isQueueFull(Throwable cause) {
        String message = cause == null ? "" : String.valueOf(cause.getMessage());
        return cause instanceof ExchangeTimedOutException
                || (cause instanceof IllegalStateException
                        && (message.contains("Queue full") || message.contains("Fails to insert")));
    }

    /** The app a metric names for this SDKAppID: a declared app's name, or "unknown". */
    private String appLabel(String sdkAppId) {
        return camelContext == null ? Apps.UNKNOWN : Apps.of(camelContext).label(sdkAppId);
    }

    /** Who the query says is calling, for the log line and the metric; nulls when it is too broken to read. */
    private record Caller(String command, String sdkAppId) {

        static Caller of(String rawQuery) {
            try {
                CallbackQuery query = CallbackQuery.parse(rawQuery);
                return new Caller(query.first("CallbackCommand"), query.first("SdkAppid"));
            } catch (CallbackRefusedException unreadable) {
                return new Caller(null, null);
            }
        }
    }
}
