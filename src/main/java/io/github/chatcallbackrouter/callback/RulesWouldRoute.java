package io.github.chatcallbackrouter.callback;

import io.github.chatcallbackrouter.support.ChoiceRules;
import io.github.chatcallbackrouter.support.RouteEndpoints;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        ChoiceRules.watch(camelContext, RouteEndpoints.RULES, compiled -> {
            if (!compiled.readable()) {
                LOG.warn("The rules route {} has steps beside its choice: every callback is handed off to it, as the"
                        + " router cannot tell ahead which it would send nowhere (keep the route one choice to spare"
                        + " that)", compiled.routeId());
            }
            rules = compiled;
        });
    }

    @Override
    public boolean matches(Exchange exchange) {
        ChoiceRules now = rules;
        return now == null || now.acts(exchange);
    }
}
