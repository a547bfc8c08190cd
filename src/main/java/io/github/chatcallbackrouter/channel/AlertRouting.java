package io.github.chatcallbackrouter.channel;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.support.ChoiceRules;
import io.github.chatcallbackrouter.support.RouteEndpoints;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Which rule of rules.camel.yaml an alarm matches, and the channels that rule sends it to, written on the alert
 * just before the rules run: the alert file's line then says where the alarm went and why, and each delivery's log
 * line names its rule, without running {@code explain} afterwards. The rules are read as they were compiled when
 * their route was last added; a silenced alarm is sent to no channel.
 */
public final class AlertRouting implements Processor, CamelContextAware {

    /** Header: the rule an alarm matched (its id, or "rule N"), or "otherwise". */
    public static final String RULE = "ChatRule";

    private CamelContext camelContext;
    private volatile ChoiceRules rules;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        ChoiceRules.watch(camelContext, RouteEndpoints.RULES, compiled -> rules = compiled);
    }

    @Override
    public void process(Exchange exchange) {
        if (!(exchange.getIn().getBody() instanceof Alert alert) || rules == null) {
            return;
        }
        Optional<ChoiceRules.Rule> rule = rules.match(exchange);
        String name = rule.map(ChoiceRules.Rule::name).orElse("otherwise");
        exchange.getIn().setHeader(RULE, name);
        List<String> sentTo = alert.silencedBy() != null || rule.isEmpty() ? List.of()
                : channelsOf(rule.get().sendsTo(), alert);
        exchange.getIn().setBody(alert.routed(name, sentTo));
    }

    /**
     * The channels these endpoints are (channel:NAME, slack-channel:NAME, direct:slack, direct:alert-channels), as
     * channels.camel.yaml declares them now (a reload of that file makes them anew).
     */
    private List<String> channelsOf(List<String> endpoints, Alert alert) {
        Channels channels = camelContext.getRegistry().findSingleByType(Channels.class);
        Set<String> names = new LinkedHashSet<>();
        for (String written : endpoints) {
            String uri = camelContext.resolvePropertyPlaceholders(written).replaceFirst("\\?.*", "").replace("://", ":");
            if (uri.startsWith(ChannelComponent.SCHEME + ":") || uri.startsWith("slack-channel:")) {
                names.add(uri.substring(uri.indexOf(':') + 1));
            } else if (uri.equals(RouteEndpoints.SLACK)) {
                names.add(Channels.SLACK);
            } else if (uri.equals(RouteEndpoints.ALERT_CHANNELS)) {
                names.addAll(channels.alertChannels(alert));
            }
        }
        return names.stream().filter(channels::isOn).toList();
    }
}
