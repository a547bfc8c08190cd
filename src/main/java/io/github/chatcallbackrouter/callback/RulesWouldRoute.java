package io.github.chatcallbackrouter.callback;

import io.github.chatcallbackrouter.support.ChoiceRules;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Collection;

/**
 * Whether the rules (the route of {@code direct:rules}) would send an event anywhere: one of their conditions
 * holds, or their {@code otherwise} does something. Most callbacks, by count, go nowhere; for them the hand-off
 * would make a second exchange on another thread only for the rules to drop it. Asked on the callback route, where
 * the event has the headers the rules test.
 *
 * <p>The callback route only reads the rules as they were compiled when their route was last added (at the start,
 * and by each reload, on the reload's thread): it never waits for a reload, nor takes Camel's locks. Rules it cannot
 * read ahead (a step beside the choice, which may change what the conditions see) hand off every event, and say so
 * once. Alarms are not asked: they are always kept and handed off.
 */
public final class RulesWouldRoute implements Predicate, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(RulesWouldRoute.class);
    private static final String RULES = "direct://rules";

    private CamelContext camelContext;
    /** The rules now; null before their route is known (everything is handed off). */
    private volatile ChoiceRules rules;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        camelContext.getRoutes().stream().filter(RulesWouldRoute::isRules).findFirst().ifPresent(this::compile);
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onRoutesAdd(Collection<Route> routes) {
                routes.stream().filter(RulesWouldRoute::isRules).findFirst().ifPresent(RulesWouldRoute.this::compile);
            }
        });
    }

    @Override
    public boolean matches(Exchange exchange) {
        ChoiceRules now = rules;
        return now == null || now.acts(exchange);
    }

    private static boolean isRules(Route route) {
        return RULES.equals(route.getEndpoint().getEndpointUri());
    }

    private void compile(Route route) {
        RouteDefinition definition = ((ModelCamelContext) camelContext).getRouteDefinition(route.getRouteId());
        if (definition == null) {
            return;
        }
        ChoiceRules compiled = ChoiceRules.of(camelContext, definition);
        if (!compiled.readable()) {
            LOG.warn("The rules route {} has steps beside its choice: every callback is handed off to it, as the router"
                    + " cannot tell ahead which it would send nowhere (keep the route one choice to spare that)",
                    route.getRouteId());
        }
        rules = compiled;
    }
}
