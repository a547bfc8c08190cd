package io.github.chatcallbackrouter.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Route;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.OtherwiseDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.StopDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.reifier.language.ExpressionReifier;
import org.apache.camel.support.LifecycleStrategySupport;

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
     * @param sendsTo   the endpoints its steps send to, as written (channel:oncall, direct:alert-file)
     */
    public record Rule(int position, String id, String condition, int line, Predicate test, List<String> sendsTo) {

        /** Its id, or "rule N" for one without. */
        public String name() {
            return id != null ? id : "rule " + position;
        }
    }

    private final String routeId;
    private final List<Rule> rules;
    private final boolean actsOtherwise;
    private final boolean readable;

    private ChoiceRules(String routeId, List<Rule> rules, boolean actsOtherwise, boolean readable) {
        this.routeId = routeId;
        this.rules = rules;
        this.actsOtherwise = actsOtherwise;
        this.readable = readable;
    }

    /** The id of the route they are the rules of. */
    public String routeId() {
        return routeId;
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
            return new ChoiceRules(route.getRouteId(), List.of(), true, false);
        }
        List<Rule> rules = new ArrayList<>();
        int position = 0;
        for (WhenDefinition when : choice.getWhenClauses()) {
            ExpressionDefinition expression = when.getExpression();
            String text = expression.getExpression() != null ? expression.getExpression() : expression.toString();
            Predicate test = ExpressionReifier.reifier(context, expression).createPredicate();
            test.init(context);
            List<String> sendsTo = new ArrayList<>();
            ProcessorDefinitionHelper.filterTypeInOutputs(when.getOutputs(), SendDefinition.class)
                    .forEach(send -> sendsTo.add(send.getEndpointUri()));
            rules.add(new Rule(++position, when.hasCustomIdAssigned() ? when.getId() : null,
                    expression.getLanguage() + ": " + text.replaceAll("\\s+", " ").trim(),
                    Math.max(when.getLineNumber(), 0), test, List.copyOf(sendsTo)));
        }
        OtherwiseDefinition otherwise = choice.getOtherwise();
        boolean acts = otherwise != null
                && !otherwise.getOutputs().stream().allMatch(StopDefinition.class::isInstance);
        return new ChoiceRules(route.getRouteId(), List.copyOf(rules), acts, true);
    }

    /**
     * Calls {@code compiled} with the rules of the route that consumes {@code endpoint} ({@link RouteEndpoints#RULES})
     * now, if it is there, and again each time that route is added (at the start, and by each reload, on the
     * reload's thread), so a caller reads the rules without waiting for a reload nor taking Camel's locks.
     */
    public static void watch(CamelContext context, String endpoint, Consumer<ChoiceRules> compiled) {
        String from = RouteEndpoints.normalised(endpoint);
        Consumer<Route> compile = route -> {
            RouteDefinition definition = ((ModelCamelContext) context).getRouteDefinition(route.getRouteId());
            if (definition != null) {
                compiled.accept(of(context, definition));
            }
        };
        context.getRoutes().stream().filter(route -> from.equals(route.getEndpoint().getEndpointUri())).findFirst()
                .ifPresent(compile);
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onRoutesAdd(Collection<Route> routes) {
                routes.stream().filter(route -> from.equals(route.getEndpoint().getEndpointUri())).findFirst()
                        .ifPresent(compile);
            }
        });
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
