package io.github.chatcallbackrouter.channel;

import io.github.chatcallbackrouter.journal.Spooled;

/**
 * An incident a channel opened (PagerDuty's), open until its alarm group has been quiet for alerts.resolve-after.
 *
 * @param dedupKey     the key its events carry
 * @param lastSeenAt   epoch millis of the group's last alarm, as last written down
 */
public record Incident(String id, String channel, String dedupKey, String title, String openedAt, long lastSeenAt)
        implements Spooled {

    Incident seenAt(long millis) {
        return new Incident(id, channel, dedupKey, title, openedAt, millis);
    }
}
