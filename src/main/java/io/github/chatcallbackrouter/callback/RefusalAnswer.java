package io.github.chatcallbackrouter.callback;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever stopped a callback into Tencent's FAIL answer with the right HTTP status, and logs it once with
 * its reason. Refusals are expected traffic (a WARN line, no stack trace); anything else is a bug (an ERROR line
 * with the stack trace), still answered as JSON.
 */
public final class RefusalAnswer implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalAnswer.class);

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message in = exchange.getIn();
        CallbackQuery query = readableQuery(in.getHeader(Exchange.HTTP_RAW_QUERY, String.class));
        String commandWord = query == null ? null : query.first("CallbackCommand");
        String command = printable(commandWord);
        String sdkAppId = printable(query == null ? null : query.first("SdkAppid"));
        Refusal refusal;
        String reason;
        if (cause instanceof CallbackRefusedException refused) {
            refusal = refused.refusal();
            reason = refused.getMessage();
            LOG.warn("Refused callback {} for SdkAppid {}: HTTP {} {}: {}",
                    command, sdkAppId, refusal.httpStatus(), refusal.label(), reason);
        } else if (isQueueFull(cause)) {
            refusal = Refusal.OVERLOADED;
            reason = "the router is overloaded; try again";
            LOG.error("Refused callback {} for SdkAppid {}: the hand-off queue is full", command, sdkAppId);
        } else {
            refusal = Refusal.INTERNAL_ERROR;
            reason = "the router could not handle this callback";
            LOG.error("Failed callback {} for SdkAppid {}", command, sdkAppId, cause);
        }
        CallbackMeter.refused(commandWord, refusal,
                exchange.getProperty(CallbackMeter.STARTED, System.nanoTime(), Long.class));
        String allow = in.getHeader("Allow", String.class);
        in.removeHeaders("*");
        if (allow != null) {
            in.setHeader("Allow", allow);
        }
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, refusal.httpStatus());
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(CallbackAnswer.fail(refusal, reason));
    }

    private static boolean isQueueFull(Throwable cause) {
        return cause instanceof ExchangeTimedOutException
                || (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).contains("Queue full"));
    }

    /** The query, for the log line and the metric; null when it is too broken to read. */
    private static CallbackQuery readableQuery(String rawQuery) {
        try {
            return CallbackQuery.parse(rawQuery);
        } catch (CallbackRefusedException unreadable) {
            return null;
        }
    }

    /** A query value fit for a log line: one line, bounded, so a hostile request cannot forge or flood the log. */
    private static String printable(Object value) {
        if (value == null) {
            return "-";
        }
        String text = value.toString().replaceAll("[\\r\\n\\t]", "_");
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
