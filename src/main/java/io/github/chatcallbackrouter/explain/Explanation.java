package io.github.chatcallbackrouter.explain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;

import java.util.List;

/**
 * What the routes would do with one callback: Chat's answer, the decision and rule that matched, and every place
 * it would go with what each would receive. Nothing of it was sent, written or journaled.
 *
 * @param status     the HTTP status Chat would get
 * @param answer     the body Chat would get
 * @param decision   the decide.camel.yaml rule a Before-callback matched; null for other callbacks
 * @param upstream   what the app's backend would be asked (a Before-callback no rule decided), or null
 * @param rule       the rules.camel.yaml rule the event matched; null when it never reached the rules (refused)
 * @param severity   the alarm's severity; null for other callbacks
 * @param silencedBy the silence that keeps the alarm from Slack, or null
 * @param places     where it would go
 * @param problems   what failed on the way (a rule that threw, say)
 */
public record Explanation(String command, String sdkAppId, int status, @JsonRawValue String answer, RuleMatch decision,
                          String upstream, RuleMatch rule, String severity, String silencedBy, List<Place> places,
                          List<String> problems) {

    /** Whether anything would be delivered (a Slack channel that is off delivers nothing). */
    @JsonProperty
    public boolean delivers() {
        return places.stream().anyMatch(place -> !place.off());
    }

    /** For a reader: one block per fact, each place with its content. */
    public String toText() {
        StringBuilder text = new StringBuilder();
        text.append(command).append(" from SDKAppID ").append(sdkAppId).append('\n');
        if (decision != null) {
            text.append("Decided by ").append(decision.file()).append(": ").append(decision.describe()).append('\n');
        }
        if (upstream != null) {
            text.append("The app's backend: ").append(upstream).append('\n');
        }
        text.append("Chat would get: HTTP ").append(status).append(' ').append(answer).append('\n');
        if (rule != null) {
            text.append("Routed by ").append(rule.file()).append(": ").append(rule.describe()).append('\n');
        }
        if (severity != null) {
            text.append("Severity: ").append(severity).append('\n');
        }
        if (silencedBy != null) {
            text.append("Silenced by ").append(silencedBy).append(": recorded in the alert file, not posted\n");
        }
        text.append(places.isEmpty() ? "It would go nowhere.\n" : "It would go to " + places.size()
                + (places.size() == 1 ? " place:\n" : " places:\n"));
        int n = 0;
        for (Place place : places) {
            text.append(String.format("%n%d. %s -> %s%s%n", ++n, place.label(), place.to(),
                    place.off() ? " (OFF: no webhook is set, so nothing would be posted; this is what would be)" : ""));
            if (place.preview() != null) {
                text.append("   As Slack shows it:\n").append(indent(place.preview(), "     | "));
                text.append("   JSON:\n");
            }
            text.append(indent(place.content(), "     "));
        }
        problems.forEach(problem -> text.append("\nPROBLEM: ").append(problem).append('\n'));
        text.append("\nNothing was sent, written or journaled.\n");
        return text.toString();
    }

    private static String indent(String lines, String prefix) {
        StringBuilder text = new StringBuilder();
        lines.lines().forEach(line -> text.append(prefix).append(line).append('\n'));
        return text.toString();
    }
}
