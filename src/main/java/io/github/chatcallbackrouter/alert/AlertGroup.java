package io.github.chatcallbackrouter.alert;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.github.chatcallbackrouter.journal.Spooled;

/**
 * Alarms with one grouping key inside one window: the first went out at once, the repeats are counted here and
 * summarised when the window ends.
 *
 * @param firstEventId  the alarm that opened the window (sent at once)
 * @param windowEndsAt  epoch millis at which the window closes
 * @param repeats       alarms folded into this group after the first
 * @param peakObserved  highest observed value among all of them (QPS for rate alarms)
 * @param channel       the channel the first alarm went to, so the summary follows it (null in a group
 *                      written before channels had names, which went to Slack's)
 */
@JsonIgnoreProperties(ignoreUnknown = true) // such a group also carries the webhook URL it went to
public record AlertGroup(String id, String key, String title, String sdkAppId, String what, String unit,
                         String firstEventId, String firstAt, String lastAt, long windowEndsAt, int repeats,
                         Long peakObserved, String channel) implements Spooled {

    /** The channel, Slack's for a group of an older version. */
    public String channelName() {
        return channel == null ? "slack" : channel;
    }

    AlertGroup fold(Alert alert) {
        Long peak = peakObserved == null ? alert.observed()
                : alert.observed() == null ? peakObserved : Math.max(peakObserved, alert.observed());
        return new AlertGroup(id, key, title, sdkAppId, what, unit, firstEventId, firstAt, alert.receivedAt(),
                windowEndsAt, repeats + 1, peak, channel);
    }
}
