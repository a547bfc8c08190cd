package io.github.chatcallbackrouter.explain;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Which rule of a route's choice an event matched: the first {@code when} whose condition held, or otherwise.
 *
 * @param file      the route file, e.g. routes/rules.camel.yaml
 * @param position  1 for the first {@code when}, 0 for otherwise
 * @param id        the rule's own id when the file gives it one ({@code - id: critical-to-oncall}), else null
 * @param condition the condition as written ({@code simple: ${header.ChatIsAlert}}); "otherwise" for otherwise
 * @param line      its line in the file, or 0 when unknown
 */
public record RuleMatch(String file, int position, String id, String condition, int line) {

    @JsonIgnore
    public boolean isOtherwise() {
        return position == 0;
    }

    /** "rule 1 (critical-to-oncall), line 78: simple: ${...}" or "otherwise (no rule matched)". */
    public String describe() {
        if (isOtherwise()) {
            return "otherwise (no rule matched)";
        }
        return "rule " + position + (id == null ? "" : " (" + id + ")") + (line > 0 ? ", line " + line : "") + ": "
                + condition;
    }
}
