package io.github.chatcallbackrouter.support;

/**
 * The endpoints by which the route files in routes/ call each other, for the Java that refers to them: each is
 * written here once, and the route consuming it is in the file named beside it (RouteEndpointsTest checks that a
 * shipped route consumes every one).
 */
public final class RouteEndpoints {

    /** ingest.camel.yaml: the event handed off to classification, when a rule would send it somewhere. */
    public static final String HAND_OFF = "direct:hand-off";
    /** classify.camel.yaml: the queue between the answer to Chat and classification. */
    public static final String HAND_OFF_QUEUE = "seda:callbacks";
    /** rules.camel.yaml: where an event goes, by the operator's rules. */
    public static final String RULES = "direct:rules";
    /** decide.camel.yaml: a Before-callback decided by the operator's rules. */
    public static final String DECIDE = "direct:decide";
    /** local/ or kafka/: an alarm kept before Chat hears OK, the way the mode keeps it. */
    public static final String KEEP_ALARM = "direct:keep-alarm";
    /** kafka/kafka.camel.yaml: an alarm published to the shared topic. */
    public static final String PUBLISH_ALARM = "direct:publish-alarm";
    /** upstream.camel.yaml: a Before-callback put to the app's backend. */
    public static final String ASK_UPSTREAM = "direct:ask-upstream";
    /** channels.camel.yaml: a delivery kept in the outbox, then posted by the delivery engine. */
    public static final String DELIVER = "direct:deliver";
    /** channels.camel.yaml: an alert to each channel of its app (alerts.channels). */
    public static final String ALERT_CHANNELS = "direct:alert-channels";
    /** channels.camel.yaml: an alert to the channel of slack.webhook-url, as rules wrote it before channels. */
    public static final String SLACK = "direct:slack";
    /** channels.camel.yaml: an alert to one named channel (what {@code channel:NAME} sends to). */
    public static final String CHANNEL = "direct:channel";

    private RouteEndpoints() {
    }

    /** The URI as Camel normalises it on the endpoint ({@code direct:rules} is {@code direct://rules}). */
    public static String normalised(String uri) {
        return uri.replaceFirst(":(?!//)", "://");
    }
}
