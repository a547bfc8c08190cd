package io.github.chatcallbackrouter.alert;

import io.github.chatcallbackrouter.journal.Spooled;

/**
 * The alarms one silence hid from one Slack channel, counted while it lasts and summarised in that channel when
 * it ends. Kept in the data directory, so the count survives a restart.
 *
 * @param peakObserved highest observed value among them (QPS for rate alarms), or null
 */
public record SilencedAlarms(String id, String silenceId, String matchers, String reason, String channel, int count,
                             String firstAt, String lastAt, Long peakObserved, String unit) implements Spooled {

    static SilencedAlarms first(Silence silence, String channel, Alert alert) {
        return new SilencedAlarms(silence.id() + "-" + channel, silence.id(), silence.matchers(), silence.reason(),
                channel, 1, alert.receivedAt(), alert.receivedAt(), alert.observed(), alert.unit());
    }

    SilencedAlarms plus(Alert alert) {
        Long peak = peakObserved == null ? alert.observed()
                : alert.observed() == null ? peakObserved : Math.max(peakObserved, alert.observed());
        return new SilencedAlarms(id, silenceId, matchers, reason, channel, count + 1, firstAt, alert.receivedAt(),
                peak, unit);
    }
}
