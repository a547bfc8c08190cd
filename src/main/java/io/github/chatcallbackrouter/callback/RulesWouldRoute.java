package io.github.chatcallbackrouter.callback;

import io.github.chatcallbackrouter.support.ChoiceRules;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Whether the rules (the route of {@code direct:rules}) would send an event anywhere: one of their conditions
 * holds, or their {@code otherwise} does something. Most callbacks, by count, go nowhere; for them the hand-off
 * would make a second exchange on another thread only for the rules to drop it. Asked on the callback route, where
 * the event has the headers the rules test; the rules are read again once their route has stopped (a reload
 * replaces it).
 *
 * <p>Alarms are not asked: they are always kept and handed off.
 */
public final class RulesWouldRoute implements Predicate, CamelContextAware {

    private static final String RULES = "direct://rules";

    private CamelContext camelContext;
    private volatile Known known;

    /** The rules as compiled from one instance of their route. */
    private record Known(Route route, ChoiceRules rules) {
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public boolean matches(Exchange exchange) {
        Known current = known;
        if (current == null || !ServiceHelper.isStarted(current.route().getConsumer())) {
            current = read();
            if (current == null) {
                return true; // no rules route (being reloaded): hand it off, the rules decide
            }
            known = current;
        }
        return current.rules().acts(exchange);
    }

    private Known read() {
        for (Route route : camelContext.getRoutes()) {
            if (RULES.equals(route.getEndpoint().getEndpointUri())) {
                return new Known(route, ChoiceRules.of(camelContext,
                        ((ModelCamelContext) camelContext).getRouteDefinition(route.getRouteId())));
            }
        }
        return null;
    }
}
