package io.github.chatcallbackrouter.slack;

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
 * {@code slack-channel:NAME}: what a rule writes to send an alert to a named Slack channel. It is
 * {@code direct:slack} (slack.camel.yaml) for that channel, so the channel's alerts are folded, rendered and
 * delivered like the default channel's. A name the settings do not declare fails when the route is created, so
 * {@code validate} and live reload refuse it.
 */
public final class SlackChannelComponent extends DefaultComponent {

    /** The scheme, as in {@code to: slack-channel:oncall} (META-INF/services/org/apache/camel/component/). */
    public static final String SCHEME = "slack-channel";
    /** Exchange property: the channel direct:slack posts to (none: the default channel). */
    public static final String CHANNEL = "slackChannel";

    private static final String SLACK_ROUTE = "direct:slack";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        SlackChannels channels = getCamelContext().getRegistry().findSingleByType(SlackChannels.class);
        if (channels == null) {
            throw new IllegalStateException(uri + ": no SlackChannels bean (routes/slack.camel.yaml declares it)");
        }
        return new ChannelEndpoint(uri, this, channels.channel(remaining).name());
    }

    private static final class ChannelEndpoint extends DefaultEndpoint {

        private final String channel;

        ChannelEndpoint(String uri, SlackChannelComponent component, String channel) {
            super(uri, component);
            this.channel = channel;
        }

        @Override
        public Producer createProducer() throws Exception {
            return new ChannelProducer(this, getCamelContext().getEndpoint(SLACK_ROUTE).createAsyncProducer());
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("slack-channel: is where alerts go; read them from direct:slack");
        }
    }

    private static final class ChannelProducer extends DefaultAsyncProducer {

        private final AsyncProducer slack;

        ChannelProducer(ChannelEndpoint endpoint, AsyncProducer slack) {
            super(endpoint);
            this.slack = slack;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            exchange.setProperty(CHANNEL, ((ChannelEndpoint) getEndpoint()).channel);
            return slack.process(exchange, callback);
        }

        @Override
        protected void doStart() throws Exception {
            ServiceHelper.startService(slack);
        }

        @Override
        protected void doStop() throws Exception {
            ServiceHelper.stopService(slack);
        }
    }
}
