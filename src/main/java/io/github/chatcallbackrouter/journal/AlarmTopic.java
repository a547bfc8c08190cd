package io.github.chatcallbackrouter.journal;

import io.github.chatcallbackrouter.support.LogText;
import io.github.chatcallbackrouter.support.RouteEndpoints;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka mode's shared topic as this instance reaches it (routes/kafka/ declares it): whether the brokers take alarms
 * now. While they do not, an alarm is kept in this instance's journal instead ({@link AlarmJournal}: its disk,
 * then memory) and Chat still hears OK; the alarms kept so are published from there as soon as the brokers take
 * one again ({@link #publishJournal}). Once one publish failed, the next alarms go to the journal at once instead
 * of each waiting for the publish timeout, so Chat hears every answer within its 2 seconds.
 *
 * <p>Its health check is DOWN while the brokers do not take alarms: what this instance keeps then is on its disk
 * only, not shared with the other instances.
 */
public final class AlarmTopic extends AbstractHealthCheck implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmTopic.class);

    private String publishUri = RouteEndpoints.PUBLISH_ALARM;
    private AlarmJournal journal;
    private ProducerTemplate template;
    private final Clock clock = Clock.systemUTC();
    private volatile long downSince = -1;
    private volatile String why;

    public AlarmTopic() {
        super("router", "alarm-topic");
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        super.setCamelContext(camelContext);
        this.template = camelContext.createProducerTemplate();
    }

    /** Where an alarm is published: the route that sends it to the topic. */
    public void setPublishUri(String publishUri) {
        this.publishUri = publishUri;
    }

    /** The journal that keeps alarms while the brokers do not take them. */
    public void setJournal(AlarmJournal journal) {
        this.journal = journal;
    }

    /** Whether an alarm is to be published now (the brokers took the last one), else kept in the journal at once. */
    public boolean isTakingAlarms() {
        return downSince < 0;
    }

    /** A publish failed: the next alarms go to the journal until one is published again. Said once. */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        why = LogText.of(failure == null ? "unknown" : root(failure));
        if (downSince < 0) {
            downSince = clock.millis();
            LOG.error("The Kafka brokers do not take alarms ({}): they are kept in this instance's journal and"
                    + " published once the brokers are back. /observe/health is DOWN meanwhile.", why);
        }
    }

    /**
     * Publishes what the journal kept while the brokers did not take alarms, oldest first; a first failure leaves
     * the rest for the next round, without waiting for each.
     */
    public void publishJournal() {
        List<Object> due = journal.due();
        for (int i = 0; i < due.size(); i++) {
            Spooled alarm = (Spooled) due.get(i);
            Exchange published = template.send(publishUri, exchange -> exchange.getIn().setBody(alarm));
            if (published.getException() != null) {
                published.setProperty(Exchange.EXCEPTION_CAUGHT, published.getException());
                failed(published);
                due.subList(i, due.size()).forEach(left -> journal.release(((Spooled) left).id()));
                return;
            }
            journal.remove(alarm.id());
            if (downSince >= 0) {
                LOG.info("The Kafka brokers take alarms again after {}: publishing what this instance kept meanwhile",
                        TimeUtils.printDuration(clock.millis() - downSince, true));
                downSince = -1;
            }
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long since = downSince;
        if (since < 0) {
            builder.up();
            return;
        }
        builder.message("the Kafka brokers have not taken alarms for " + (clock.millis() - since) / 1000 + " s ("
                + why + "): alarms are kept in this instance's journal and published once they are back").down();
    }

    private static String root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
