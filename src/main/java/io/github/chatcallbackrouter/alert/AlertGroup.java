package io.github.chatcallbackrouter.alert;

import io.github.chatcallbackrouter.journal.Spooled;

/**
 * Alarms with one grouping key inside one window: the first went out at once, the repeats are counted here and
 * summarised when the window ends.
 *
 * @param firstEventId  the alarm that opened the window (sent at once)
 * @param windowEndsAt  epoch millis at which the window closes
 * @param repeats       alarms folded into this group after the first
 * @param peakObserved  highest observed value among all of them (QPS for rate alarms)
 * @param webhookUrl    where the first alarm went, so the summary follows it
 */
public record AlertGroup(String id, String key, String title, String sdkAppId, String what, String unit,
                         String firstEventId, String firstAt, String lastAt, long windowEndsAt, int repeats,
                         Long peakObserved, String webhookUrl) implements Spooled {

    /** Without the webhook URL, whose path is a secret: Camel prints message bodies in some log lines. */
    @Override
    public String toString() {
        return "AlertGroup[id=" + id + ", what=" + what + ", repeats=" + repeats + ", windowEndsAt=" + windowEndsAt
                + "]";
    }

    AlertGroup fold(Alert alert) {
        Long peak = peakObserved == null ? alert.observed()
                : alert.observed() == null ? peakObserved : Math.max(peakObserved, alert.observed());
        return new AlertGroup(id, key, title, sdkAppId, what, unit, firstEventId, firstAt, alert.receivedAt(),
                windowEndsAt, repeats + 1, peak, webhookUrl);
    }
}
