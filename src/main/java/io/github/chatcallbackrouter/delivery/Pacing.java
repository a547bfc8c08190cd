package io.github.chatcallbackrouter.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * How often one lane may start a post: at least a minimum interval apart, and at most N in any period (WeCom's and
 * DingTalk's robots take 20 a minute, Feishu's 5 a second and 100 a minute; Slack about one a second). Times are
 * the engine clock's milliseconds. Not thread-safe: its lane's engine holds the lock.
 */
final class Pacing {

    /** At most {@code count} starts in any {@code periodMillis}. */
    record Window(int count, long periodMillis) {
    }

    private final long minIntervalMillis;
    private final List<Window> windows;
    /** Per window, the start times of its last {@code count} posts, oldest first (a ring). */
    private final List<long[]> starts = new ArrayList<>();
    private final int[] next;
    private long lastStart = Long.MIN_VALUE;

    Pacing(long minIntervalMillis, List<Window> windows) {
        this.minIntervalMillis = Math.max(0, minIntervalMillis);
        this.windows = List.copyOf(windows);
        for (Window window : windows) {
            long[] ring = new long[window.count()];
            java.util.Arrays.fill(ring, Long.MIN_VALUE);
            starts.add(ring);
        }
        this.next = new int[windows.size()];
    }

    /** The earliest time, not before {@code now}, at which the next post may start. */
    long earliest(long now) {
        long earliest = now;
        if (lastStart != Long.MIN_VALUE) {
            earliest = Math.max(earliest, lastStart + minIntervalMillis);
        }
        for (int i = 0; i < windows.size(); i++) {
            long oldest = starts.get(i)[next[i]];
            if (oldest != Long.MIN_VALUE) {
                earliest = Math.max(earliest, oldest + windows.get(i).periodMillis());
            }
        }
        return earliest;
    }

    /** A post starts now. */
    void started(long now) {
        lastStart = now;
        for (int i = 0; i < windows.size(); i++) {
            starts.get(i)[next[i]] = now;
            next[i] = (next[i] + 1) % windows.get(i).count();
        }
    }
}
