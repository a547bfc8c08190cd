package io.github.chatcallbackrouter.delivery;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.github.chatcallbackrouter.journal.Spooled;
import io.github.chatcallbackrouter.support.Urls;

/**
 * One HTTP POST that must reach its destination at least once: kept in the outbox until the destination took it
 * or it was dead-lettered. Slack messages, callbacks relayed to the app's backend and what a rule forwards to an
 * HTTP endpoint are all deliveries, posted, paced and retried by the one {@link DeliveryEngine}.
 *
 * @param destination the {@link Destination} it is for ({@code slack}, {@code slack:oncall}, {@code upstream},
 *                    {@code http}): its receiver, pacing and retry settings; with its URL, the lane it waits in
 * @param url         where it is posted, without a query
 * @param query       the raw query to send, or null
 * @param signed      whether the query's {@code Sign} and {@code RequestTime} are made fresh at each try, with the
 *                    callback token, so a late relay passes the receiver's freshness check
 * @param body        exactly what is posted (Slack's JSON, the callback as Chat sent it, ...)
 * @param memoryOnly  a delivery kept in memory only (upstream.after.keep=memory): nothing of it is written to disk,
 *                    a dead letter included
 * @param subject     one line saying what it is, for logs and dead letters
 * @param alarm       part of an alarm (a Slack post, an alarm relayed): it goes before the other deliveries wherever
 *                    they share something (the disk, a destination), and is never refused for a full outbox
 */
public record Delivery(String id, String destination, @JsonAlias("webhookUrl") String url, String query,
                       boolean signed, @JsonAlias("message") String body, String contentType, boolean memoryOnly,
                       String subject, String createdAt, boolean alarm) implements Spooled {

    /** An entry written before deliveries had destinations was a Slack message. */
    public Delivery {
        destination = destination == null ? "slack" : destination;
        contentType = contentType == null ? "application/json; charset=utf-8" : contentType;
    }

    /** Without the URL's path or query, which may carry secrets: Camel prints bodies of failed exchanges. */
    @Override
    public String toString() {
        return "Delivery[id=" + id + ", destination=" + destination + ", url=" + Urls.redact(url)
                + ", subject=" + subject + "]";
    }
}
