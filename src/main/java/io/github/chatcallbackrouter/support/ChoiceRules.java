package io.github.chatcallbackrouter.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.OtherwiseDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.StopDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.reifier.language.ExpressionReifier;

/**
 * The rules of a route file's route: the {@code when}s of its choice, in order, each with its condition compiled,
 * and whether anything happens to an event none of them matches. For {@code explain}, to name the rule that
 * matched, and for the hand-off, to skip the events no rule sends anywhere.
 */
public final class ChoiceRules {

    /**
     * One rule.
     *
     * @param position  1 for the first {@code when}
     * @param id        the rule's own id when the file gives it one, else null
     * @param condition the condition as written ({@code simple: ${header.ChatIsAlert}})
     * @param line      its line in the file, or 0 when unknown
     */
    public record Rule(int position, String id, String condition, int line, Predicate test) {
    }

    private final List<Rule> rules;
    private final boolean actsOtherwise;
    private final boolean readable;

    private ChoiceRules(List<Rule> rules, boolean actsOtherwise, boolean readable) {
        this.rules = rules;
        this.actsOtherwise = actsOtherwise;
        this.readable = readable;
    }

    /** Whether the route is one choice, whose rules can be asked ahead; when not, it acts on every event. */
    public boolean readable() {
        return readable;
    }

    /**
     * The rules of a route made of one choice. A route with anything beside its choice, or none, acts on every
     * event: it has no rule to skip an event by.
     */
    public static ChoiceRules of(CamelContext context, RouteDefinition route) {
        if (route.getOutputs().size() != 1 || !(route.getOutputs().get(0) instanceof ChoiceDefinition choice)) {
            return new ChoiceRules(List.of(), true, false);
        }
        List<Rule> rules = new ArrayList<>();
        int position = 0;
        for (WhenDefinition when : choice.getWhenClauses()) {
            ExpressionDefinition expression = when.getExpression();
            String text = expression.getExpression() != null ? expression.getExpression() : expression.toString();
            Predicate test = ExpressionReifier.reifier(context, expression).createPredicate();
            test.init(context);
            rules.add(new Rule(++position, when.hasCustomIdAssigned() ? when.getId() : null,
                    expression.getLanguage() + ": " + text.replaceAll("\\s+", " ").trim(),
                    Math.max(when.getLineNumber(), 0), test));
        }
        OtherwiseDefinition otherwise = choice.getOtherwise();
        boolean acts = otherwise != null
                && !otherwise.getOutputs().stream().allMatch(StopDefinition.class::isInstance);
        return new ChoiceRules(List.copyOf(rules), acts, true);
    }

    /** The first rule whose condition holds; empty when none does (the event takes {@code otherwise}). */
    public Optional<Rule> match(Exchange exchange) {
        for (Rule rule : rules) {
            if (rule.test().matches(exchange)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    /** Whether the route would do anything with this event: a rule holds, or its otherwise has steps. */
    public boolean acts(Exchange exchange) {
        return actsOtherwise || match(exchange).isPresent();
    }
}
