package io.github.chatcallbackrouter.channel;

import io.github.chatcallbackrouter.support.RouteEndpoints;
import java.util.Map;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.service.ServiceHelper;

/**
 * {@code channel:NAME}: what a rule writes to send an alert to a channel (and {@code slack-channel:NAME}, as rules
 * wrote it for a Slack channel before channels had kinds). It is {@code direct:channel} (channels.camel.yaml) for
 * that channel: silenced, folded, rendered for its receiver and delivered like every channel's. A name the
 * settings do not declare fails when the route is created, so {@code validate} and live reload refuse it.
 */
public final class ChannelComponent extends DefaultComponent {

    /** The scheme, as in {@code to: channel:oncall} (META-INF/services/org/apache/camel/component/). */
    public static final String SCHEME = "channel";
    /** Exchange property: the channel direct:channel sends to. */
    public static final String CHANNEL = "alertChannel";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        Channels channels = getCamelContext().getRegistry().findSingleByType(Channels.class);
        if (channels == null) {
            throw new IllegalStateException(uri + ": no Channels bean (routes/channels.camel.yaml declares it)");
        }
        return new ChannelEndpoint(uri, this, channels.channel(remaining).name());
    }

    private static final class ChannelEndpoint extends DefaultEndpoint {

        private final String channel;

        ChannelEndpoint(String uri, ChannelComponent component, String channel) {
            super(uri, component);
            this.channel = channel;
        }

        @Override
        public Producer createProducer() throws Exception {
            return new ChannelProducer(this,
                    getCamelContext().getEndpoint(RouteEndpoints.CHANNEL).createAsyncProducer());
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("channel: is where alerts go; read them from direct:channel");
        }
    }

    private static final class ChannelProducer extends DefaultAsyncProducer {

        private final AsyncProducer route;

        ChannelProducer(ChannelEndpoint endpoint, AsyncProducer route) {
            super(endpoint);
            this.route = route;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            exchange.setProperty(CHANNEL, ((ChannelEndpoint) getEndpoint()).channel);
            return route.process(exchange, callback);
        }

        @Override
        protected void doStart() throws Exception {
            ServiceHelper.startService(route);
        }

        @Override
        protected void doStop() throws Exception {
            ServiceHelper.stopService(route);
        }
    }
}
