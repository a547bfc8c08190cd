package io.github.chatcallbackrouter.callback;

import io.github.chatcallbackrouter.support.BoundedLog;
import io.github.chatcallbackrouter.support.RouterMeters;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts an answered callback and times its answer ({@link RouterMeters#CALLBACKS}, {@link RouterMeters#CALLBACK_ACK}).
 * As a route step it records an accepted callback; {@link RefusalAnswer} and the HTTP server record refusals.
 */
public final class CallbackMeter implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackMeter.class);
    private static final String URL_CHECK = "url_check";
    private static final BoundedLog URL_CHECKS = new BoundedLog(3, Duration.ofMinutes(1));
    /** The label of a command word that is a catalog word misspelt. */
    static final String NEAR_MISS = "near_miss";

    @Override
    public void process(Exchange exchange) {
        Arrival arrival = Arrival.of(exchange);
        RouterMeters.callbackAnswered(arrival.app(), arrival.command(), "accepted", arrival.startedNanos());
    }

    /**
     * Records an answer the server gave instead of the route (OK at Chat's deadline, a URL check) to the request
     * of this query; returns the command word the query names, or null.
     */
    public static String answeredBy(String rawQuery, Apps apps, String outcome, long startedNanos) {
        String command;
        String sdkAppId;
        try {
            CallbackQuery query = CallbackQuery.parse(rawQuery);
            command = query.first("CallbackCommand");
            sdkAppId = query.first("SdkAppid");
        } catch (CallbackRefusedException unreadable) {
            command = null;
            sdkAppId = null;
        }
        RouterMeters.callbackAnswered(apps == null ? Apps.UNKNOWN : apps.label(sdkAppId), label(command), outcome,
                startedNanos);
        return command;
    }

    /** Records a URL check answered OK (outcome url_check), and says so at a bounded rate. */
    public static void urlCheck(Object admitted, Apps apps, long startedNanos) {
        CallbackQuery query = (CallbackQuery) admitted;
        RouterMeters.callbackAnswered(apps.label(query.first("SdkAppid")), label(null), URL_CHECK, startedNanos);
        String note = URL_CHECKS.admit(URL_CHECK);
        if (note != null) {
            LOG.info("Answered a URL check OK (a request that names no CallbackCommand{}): Chat's console checks a"
                    + " callback URL so; nothing of it was read or processed{}", query.first("SdkAppid") == null ? ""
                    : ", for app " + apps.label(query.first("SdkAppid")), note);
        }
    }

    /** Records a refusal of a request that began at {@code startedNanos}, naming the app and command it gave. */
    public static void refused(String app, String command, Refusal refusal, long startedNanos) {
        RouterMeters.callbackAnswered(app, label(command), refusal.label(), startedNanos);
    }

    /**
     * The command word as a metric label: a catalog word as it is, "none" when absent, "near_miss" for a catalog
     * word misspelt ({@link CommandCatalog#nearMiss}), "other" otherwise; so a caller cannot mint label values.
     */
    static String label(String command) {
        if (command == null) {
            return "none";
        }
        if (CommandCatalog.get().all().containsKey(command)) {
            return command;
        }
        return CommandCatalog.get().nearMiss(command).isPresent() ? NEAR_MISS : RouterMeters.OTHER_COMMAND;
    }
}
