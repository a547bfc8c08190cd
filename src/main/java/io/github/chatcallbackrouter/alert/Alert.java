package io.github.chatcallbackrouter.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An alarm callback, enriched for the people on call. One line of the alert file is one of these as JSON.
 *
 * @param eventId      the id of the callback event it came from
 * @param origin       the app, platform, client address and Chat's RequestTime the callback's query gave
 * @param type         {@code api-over-limit} or {@code daily-group-quota}
 * @param title        one line an engineer reads first
 * @param api          REST path {@code ServiceName/Command} (over-limit alarms), else null
 * @param apiName      the API's human name from the catalog, or null when the catalog does not know it
 * @param documentedLimit the docs' wording of the API's limit, or null
 * @param observed     observed value: QPS for rate alarms, groups created today for the quota alarm
 * @param limit        the limit Chat reported alongside
 * @param unit         unit of observed and limit ({@code QPS} or {@code groups/day})
 * @param usagePercent observed / limit x 100, one decimal; null when Chat sent no usable numbers
 * @param numberProblem what was wrong with the numbers Chat sent (negative, out of range, not a number), with
 *                     their raw values; null when they were fine. Such an alarm is critical: it cannot be judged.
 * @param groupKey     alarms with the same key are about the same thing (used to fold storms)
 * @param silencedBy   the id of the silence that kept it from the channels, or null (and absent from its JSON)
 * @param rule         the rule of rules.camel.yaml that matched it (its id, or "rule N"), once routed
 * @param channels     the channels that rule sends it to, once routed
 */
public record Alert(
        String eventId,
        String type,
        String severity,
        String title,
        String sdkAppId,
        Origin origin,
        String command,
        String api,
        String apiName,
        String documentedLimit,
        Long observed,
        Long limit,
        String unit,
        Double usagePercent,
        String numberProblem,
        String receivedAt,
        String groupKey,
        JsonNode payload,
        @JsonInclude(JsonInclude.Include.NON_NULL) String silencedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) String rule,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> channels) {

    /** The same alert, kept from the pager by this silence. */
    public Alert silencedBy(String silenceId) {
        return new Alert(eventId, type, severity, title, sdkAppId, origin, command, api, apiName, documentedLimit,
                observed, limit, unit, usagePercent, numberProblem, receivedAt, groupKey, payload, silenceId, rule,
                channels);
    }

    /** The same alert, with the rule that matched it and the channels that rule sends it to. */
    public Alert routed(String byRule, List<String> toChannels) {
        return new Alert(eventId, type, severity, title, sdkAppId, origin, command, api, apiName, documentedLimit,
                observed, limit, unit, usagePercent, numberProblem, receivedAt, groupKey, payload, silencedBy, byRule,
                List.copyOf(toChannels));
    }
}
