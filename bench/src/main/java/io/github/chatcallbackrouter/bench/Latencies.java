package io.github.chatcallbackrouter.bench;

import java.util.Arrays;

/** Recorded latencies (nanoseconds) and their percentiles, nearest rank. Not thread-safe: one recorder. */
final class Latencies {

    private long[] values = new long[1 << 16];
    private int count;
    private boolean sorted;

    void record(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
        sorted = false;
    }

    int count() {
        return count;
    }

    /** The q-quantile (0 < q <= 1) in milliseconds; NaN when nothing was recorded. */
    double percentileMillis(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(values, 0, count);
            sorted = true;
        }
        int rank = (int) Math.ceil(q * count);
        return values[Math.max(0, Math.min(count, rank) - 1)] / 1e6;
    }

    double maxMillis() {
        return percentileMillis(1.0);
    }
}
