package io.github.chatcallbackrouter.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.support.BoundedLog;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.RouterMeters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer Chat gets for a Before-callback, from the decision the rules (decide.camel.yaml) or the app's backend
 * made, in the form Tencent documents for that command word (catalog/before-answers.tsv): allow, deny with the
 * command's own code or a custom one in its range (whose ErrorInfo reaches the user), drop silently, replace the
 * message body, or the backend's answer as it was. Counted in chat_decisions_total.
 *
 * <p>The decision is in headers a rule sets:
 * <ul>
 *   <li>{@value #DECISION}: allow, deny, drop or replace (none: allowed, as Chat does when nobody answers);</li>
 *   <li>{@value #CODE}: a custom ErrorCode for deny, in the command's documented range;</li>
 *   <li>{@value #INFO}: the ErrorInfo text;</li>
 *   <li>{@value #MSG_BODY} (and {@value #CLOUD_CUSTOM_DATA}): the replacement for replace.</li>
 * </ul>
 */
public final class BeforeAnswer implements Processor {

    public static final String DECISION = "ChatDecision";
    public static final String CODE = "ChatDecisionCode";
    public static final String INFO = "ChatDecisionInfo";
    public static final String MSG_BODY = "ChatMsgBody";
    public static final String CLOUD_CUSTOM_DATA = "ChatCloudCustomData";
    /** Set by the upstream relay: the backend's answer, passed to Chat unchanged. */
    public static final String UPSTREAM_ANSWER = "ChatUpstreamAnswer";
    /** Who decided: rule (the default when a decision is set), upstream, fail-policy. */
    public static final String DECIDED_BY = "ChatDecidedBy";
    /** Exchange property: the JSON Chat is answered with. */
    public static final String ANSWER = "ChatAnswer";

    private static final Logger LOG = LoggerFactory.getLogger(BeforeAnswer.class);
    private static final Map<String, Rules> RULES = load();
    private static final Rules UNLISTED = new Rules(1, 0, 0, false, false, null);
    private static final java.util.Set<String> DECIDERS = java.util.Set.of("rule", "upstream", "fail-policy");

    private final BoundedLog rate = new BoundedLog(10, Duration.ofSeconds(10));

    /** How Chat reads the answer to one Before command word. */
    private record Rules(int denyCode, int customLow, int customHigh, boolean canDrop, boolean canReplace,
                         String targets) {

        boolean isCustom(int code) {
            return customLow > 0 && code >= customLow && code <= customHigh;
        }
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        String command = in.getHeader(EventHeaders.COMMAND, String.class);
        String decision = in.getHeader(DECISION, String.class);
        String by = in.getHeader(DECIDED_BY, "rule", String.class);
        String decidedBy = decision == null ? "nobody" : DECIDERS.contains(by) ? by : "rule";
        Rules rules = RULES.getOrDefault(command, UNLISTED);
        String info = in.getHeader(INFO, "", String.class);
        ObjectNode answer = ok();
        String outcome = decision == null ? "allow" : decision.toLowerCase(Locale.ROOT);
        switch (outcome) {
            case "allow" -> {
            }
            case "upstream" -> {
                exchange.setProperty(ANSWER, in.getHeader(UPSTREAM_ANSWER, String.class));
                RouterMeters.decision(CallbackMeter.label(command), decidedBy, outcome);
                return;
            }
            case "deny" -> deny(answer, rules, in.getHeader(CODE, Integer.class), info,
                    in.getBody(CallbackEvent.class));
            case "drop" -> {
                if (rules.canDrop()) {
                    answer.put("ErrorCode", 2).put("ErrorInfo", info);
                } else {
                    warn(command, "drop", "cannot be dropped silently: denied instead");
                    outcome = "deny";
                    deny(answer, rules, null, info, in.getBody(CallbackEvent.class));
                }
            }
            case "replace" -> {
                JsonNode msgBody = json(in.getHeader(MSG_BODY));
                if (rules.canReplace() && msgBody != null && msgBody.isArray()) {
                    answer.set("MsgBody", msgBody);
                    Object custom = in.getHeader(CLOUD_CUSTOM_DATA);
                    if (custom != null) {
                        answer.put("CloudCustomData", custom.toString());
                    }
                } else {
                    warn(command, "replace", "has no MsgBody to replace, or no " + MSG_BODY
                            + " array was set: allowed unchanged");
                    outcome = "allow";
                }
            }
            default -> {
                warn(command, outcome, "is not a decision (allow, deny, drop, replace): allowed");
                outcome = "allow";
            }
        }
        exchange.setProperty(ANSWER, answer.toString());
        RouterMeters.decision(CallbackMeter.label(command), decidedBy, outcome);
    }

    /**
     * Why the app's backend's answer to a Before-callback is not one Chat reads for this command, or null: it has
     * no ActionStatus or no whole-number ErrorCode, or it sets a field the command may not change (only MsgBody and
     * CloudCustomData where the message may be replaced, ResultItem for friend requests; ErrorInfo always).
     */
    public static String problem(String command, JsonNode answer) {
        if (!answer.path("ActionStatus").isTextual()) {
            return "no ActionStatus";
        }
        if (!answer.path("ErrorCode").canConvertToInt() || !answer.path("ErrorCode").isIntegralNumber()) {
            return "no whole-number ErrorCode";
        }
        Rules rules = RULES.getOrDefault(command, UNLISTED);
        java.util.Set<String> allowed = new java.util.HashSet<>(java.util.Set.of("ActionStatus", "ErrorCode",
                "ErrorInfo"));
        if (rules.canReplace()) {
            allowed.addAll(java.util.Set.of("MsgBody", "CloudCustomData"));
        }
        if (rules.targets() != null) {
            allowed.add("ResultItem");
        }
        java.util.List<String> extra = new java.util.ArrayList<>();
        answer.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                extra.add(field);
            }
        });
        java.util.Collections.sort(extra);
        return extra.isEmpty() ? null : "it sets what " + command + " may not change: " + String.join(", ", extra);
    }

    /** Chat's own deny, or the custom code when it is one the command passes to the client. */
    private static void deny(ObjectNode answer, Rules rules, Integer code, String info, CallbackEvent event) {
        int errorCode = code != null && rules.isCustom(code) ? code : rules.denyCode();
        if (rules.targets() == null) {
            answer.put("ErrorCode", errorCode).put("ErrorInfo", info);
            return;
        }
        // friend requests: the top-level code is ignored; each target is refused with a ResultCode in the range
        int resultCode = code != null && rules.isCustom(code) ? code : rules.customLow();
        ArrayNode items = answer.putArray("ResultItem");
        for (JsonNode target : event == null ? Json.MAPPER.createArrayNode() : event.payload().path(rules.targets())) {
            items.addObject().put("To_Account", target.path("To_Account").asText())
                    .put("ResultCode", resultCode).put("ResultInfo", info);
        }
    }

    private static ObjectNode ok() {
        // the keys in the order of the plain OK (CallbackAnswer.OK), so an allow reads the same whoever decided
        return Json.MAPPER.createObjectNode().put("ActionStatus", "OK").put("ErrorInfo", "").put("ErrorCode", 0);
    }

    /** A JSON value set as a tree, or as its text. */
    private static JsonNode json(Object value) {
        if (value == null || value instanceof JsonNode) {
            return (JsonNode) value;
        }
        try {
            return Json.MAPPER.readTree(value.toString());
        } catch (IOException e) {
            return null;
        }
    }

    private void warn(String command, String decision, String what) {
        String note = rate.admit(command + decision);
        if (note != null) {
            LOG.warn("A rule decided '{}' for {}, which {}{}", decision, command, what, note);
        }
    }

    private static Map<String, Rules> load() {
        Map<String, Rules> rules = new HashMap<>();
        try (InputStream in = BeforeAnswer.class.getResourceAsStream("/catalog/before-answers.tsv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                String[] range = columns[2].equals("-") ? new String[] {"0", "0"} : columns[2].split("-");
                rules.put(columns[0], new Rules(Integer.parseInt(columns[1]), Integer.parseInt(range[0]),
                        Integer.parseInt(range[1]), columns[3].equals("yes"), columns[4].equals("yes"),
                        columns[5].equals("-") ? null : columns[5]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalog/before-answers.tsv", e);
        }
        return Map.copyOf(rules);
    }
}
