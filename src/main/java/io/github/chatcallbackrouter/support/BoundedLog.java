package io.github.chatcallbackrouter.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lines of one kind (a refusal label, say) at a bounded rate: a burst, then one per interval. A flood of bad
 * requests then writes a few lines a second instead of one per request; the metrics still count every one, and
 * the next line that is written says how many were left out.
 */
public final class BoundedLog {

    private final int burst;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public BoundedLog(int burst, Duration interval) {
        this(burst, interval, System::nanoTime);
    }

    BoundedLog(int burst, Duration interval, LongSupplier nanoClock) {
        this.burst = burst;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Whether a line of this kind may be written now: null when it is to be left out, otherwise the text to end it
     * with ("" or " (and 37 more like it, not logged)").
     */
    public String admit(String kind) {
        return buckets.computeIfAbsent(kind, k -> new Bucket(burst, nanoClock.getAsLong())).take();
    }

    private final class Bucket {

        private double tokens;
        private long refilledAt;
        private long leftOut;

        Bucket(int tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized String take() {
            long now = nanoClock.getAsLong();
            tokens = Math.min(burst, tokens + (double) (now - refilledAt) / intervalNanos);
            refilledAt = now;
            if (tokens < 1) {
                leftOut++;
                return null;
            }
            tokens--;
            String note = leftOut == 0 ? "" : " (and " + leftOut + " more like it before this, not logged)";
            leftOut = 0;
            return note;
        }
    }
}
