package io.github.chatcallbackrouter.alert;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.RouterMeters;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import io.github.chatcallbackrouter.callback.EventHeaders;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Tells alarms from the rest of the callbacks and enriches them: the API's human name and documented limit from
 * the {@link ApiCatalog}, usage percent and {@link Severity}.
 *
 * <p>Sets the {@link EventHeaders} on every event. For alarms the body becomes an {@link Alert} and headers
 * {@value #SEVERITY}, {@value #TYPE} and {@value #API} are set, for the rules to route on.
 */
public final class AlertClassifier implements Processor {

    public static final String SEVERITY = "AlertSeverity";
    public static final String TYPE = "AlertType";
    public static final String API = "AlertApi";

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        CallbackEvent event = in.getBody(CallbackEvent.class);
        EventHeaders.set(in, event);
        Optional<Alert> alert = classify(event);
        alert.ifPresent(a -> {
            in.setBody(a);
            in.setHeader(SEVERITY, a.severity());
            in.setHeader(TYPE, a.type());
            RouterMeters.alertClassified(a.severity(), a.type());
            if (a.api() != null) {
                in.setHeader(API, a.api());
            }
        });
    }

    /**
     * The key one alarm storm shares (SDKAppID + API for over-limit alarms): in kafka mode it is the record key,
     * so every alarm of a storm lands on one partition and one instance folds it.
     */
    public String groupKey(CallbackEvent event) {
        return classify(event).map(Alert::groupKey).orElse(event.sdkAppId() + "|" + event.command());
    }

    /** The alert this event is, if it is one. */
    public Optional<Alert> classify(CallbackEvent event) {
        return switch (event.command()) {
            case EventHeaders.OVER_LIMIT -> Optional.of(overLimit(event));
            case EventHeaders.DAILY_GROUP_QUOTA -> Optional.of(dailyGroupQuota(event));
            default -> Optional.empty();
        };
    }

    private static Alert overLimit(CallbackEvent event) {
        JsonNode payload = event.payload();
        String serviceName = payload.path("ServiceName").asText("");
        String command = payload.path("Command").asText("");
        String api = serviceName + "/" + command;
        Optional<ApiCatalog.Api> known = ApiCatalog.get().find(serviceName, command);
        Long observed = number(payload, "Request");
        Long limit = number(payload, "Limit");
        Double usage = percent(observed, limit);
        Severity severity = Severity.ofUsage(usage);
        String title = (severity == Severity.CRITICAL ? "Over its rate limit: " : "Near its rate limit: ")
                + known.map(ApiCatalog.Api::name).orElse(api)
                + (usage == null ? "" : " at " + formatPercent(usage));
        return new Alert(event.id(), "api-over-limit", severity.label(), title, event.sdkAppId(), event.command(),
                api, known.map(ApiCatalog.Api::name).orElse(null),
                known.map(ApiCatalog.Api::documentedLimit).orElse(null),
                observed, limit, "QPS", usage, event.receivedAt(),
                event.sdkAppId() + "|" + serviceName + "|" + command, payload);
    }

    private static Alert dailyGroupQuota(CallbackEvent event) {
        JsonNode payload = event.payload();
        Long used = number(payload, "QuotaUsed");
        Long quota = number(payload, "Quota");
        Double usage = percent(used, quota);
        Severity severity = Severity.ofUsage(usage);
        String title = "Daily group-creation quota " + (usage == null ? "alarm" : "at " + formatPercent(usage));
        return new Alert(event.id(), "daily-group-quota", severity.label(), title, event.sdkAppId(),
                event.command(), null, null, null, used, quota, "groups/day", usage, event.receivedAt(),
                event.sdkAppId() + "|" + event.command(), payload);
    }

    /** A whole number Chat sent as a number or a numeric string; null when absent or not a number. */
    private static Long number(JsonNode payload, String field) {
        JsonNode node = payload.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.asLong();
        }
        try {
            return Long.valueOf(node.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double percent(Long observed, Long limit) {
        if (observed == null || limit == null || limit <= 0) {
            return null;
        }
        return Math.round(observed * 1000.0 / limit) / 10.0;
    }

    /** 255.0 as "255%", 73.2 as "73.2%". */
    public static String formatPercent(double percent) {
        return (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent)) + "%";
    }
}
