package io.github.chatcallbackrouter.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.chatcallbackrouter.support.RouterMeters;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import io.github.chatcallbackrouter.callback.EventHeaders;
import io.github.chatcallbackrouter.support.Json;
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
        return classify(event).map(Alert::groupKey).orElse(key(event.sdkAppId(), event.command()));
    }

    /** The alert this event is, if it is one. */
    public Optional<Alert> classify(CallbackEvent event) {
        return switch (event.command()) {
            case EventHeaders.OVER_LIMIT -> Optional.of(overLimit(event));
            case EventHeaders.DAILY_GROUP_QUOTA -> Optional.of(dailyGroupQuota(event));
            default -> Optional.empty();
        };
    }

    /** What an over-limit alarm whose body names no API (no ServiceName and Command) is about; its body is kept. */
    static final String UNKNOWN_API = "an unknown API (the alarm's body has no ServiceName and Command; it is kept"
            + " whole in the alert file)";

    private static Alert overLimit(CallbackEvent event) {
        JsonNode payload = event.payload();
        // read as Tencent writes them: ServiceName, Command, Request, Limit
        String serviceName = payload.path("ServiceName").isTextual() ? payload.path("ServiceName").asText().trim() : "";
        String command = payload.path("Command").isTextual() ? payload.path("Command").asText().trim() : "";
        boolean named = !serviceName.isEmpty() && !command.isEmpty();
        String api = named ? serviceName + "/" + command : null;
        Optional<ApiCatalog.Api> known = named ? ApiCatalog.get().find(serviceName, command) : Optional.empty();
        Count observed = Count.of(payload, "Request");
        Count limit = Count.of(payload, "Limit");
        Double usage = percent(observed.value(), limit.value());
        String problem = Count.problems(observed, limit);
        Severity severity = problem != null ? Severity.CRITICAL : Severity.ofUsage(usage);
        String title = (severity == Severity.CRITICAL ? "Over its rate limit: " : "Near its rate limit: ")
                + known.map(ApiCatalog.Api::name).orElse(named ? api : UNKNOWN_API)
                + (usage == null ? "" : " at " + formatPercent(usage));
        return new Alert(event.id(), "api-over-limit", severity.label(), title, event.sdkAppId(), origin(event),
                event.command(),
                api, known.map(ApiCatalog.Api::name).orElse(null),
                known.map(ApiCatalog.Api::documentedLimit).orElse(null),
                observed.value(), limit.value(), "QPS", usage, problem, event.receivedAt(),
                key(event.sdkAppId(), serviceName, command), payload, null, null, null);
    }

    private static Alert dailyGroupQuota(CallbackEvent event) {
        JsonNode payload = event.payload();
        Count used = Count.of(payload, "QuotaUsed");
        Count quota = Count.of(payload, "Quota");
        Double usage = percent(used.value(), quota.value());
        String problem = Count.problems(used, quota);
        Severity severity = problem != null ? Severity.CRITICAL : Severity.ofUsage(usage);
        String title = "Daily group-creation quota " + (usage == null ? "alarm" : "at " + formatPercent(usage));
        return new Alert(event.id(), "daily-group-quota", severity.label(), title, event.sdkAppId(), origin(event),
                event.command(), null, null, null, used.value(), quota.value(), "groups/day", usage, problem,
                event.receivedAt(), key(event.sdkAppId(), event.command()), payload, null, null, null);
    }

    /** The query's context of the callback: its app, platform, client address and Chat's RequestTime. */
    private static Origin origin(CallbackEvent event) {
        return new Origin(event.app() != null ? event.app() : event.sdkAppId(), event.platform(), event.clientIp(),
                event.requestTime());
    }

    /**
     * A grouping key that no two different alarms share: its parts as a JSON array, so a '|' or any other
     * character in an API name cannot make one key out of two (["1400000000","openim","batchsendmsg"]).
     */
    static String key(String... parts) {
        ArrayNode key = Json.MAPPER.createArrayNode();
        for (String part : parts) {
            key.add(part);
        }
        return key.toString();
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
