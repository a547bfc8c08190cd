package io.github.chatcallbackrouter.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.util.TimeUtils;

/**
 * Where deliveries go, and how they are paced and retried: one bean per destination, declared beside what sends
 * there (slack.camel.yaml, upstream.camel.yaml, deliveries.camel.yaml for what rules forward), with its settings.
 * The delivery machinery finds it by the delivery's {@link Delivery#destination()}.
 */
public final class Destination {

    private String name;
    private long minIntervalMillis;
    private long initialDelayMillis = 1000;
    private long maxDelayMillis = 300_000;
    private long giveUpAfterMillis = 3_600_000;
    /** Per URL: when its next post may go. */
    private final Map<String, Long> nextSlot = new ConcurrentHashMap<>();

    public String getName() {
        return name;
    }

    /** The name deliveries give in {@link Delivery#destination()}. */
    public void setName(String name) {
        this.name = name;
    }

    /** At least this many milliseconds between two posts to one URL; 0 = no pacing. */
    public void setMinIntervalMillis(long minIntervalMillis) {
        this.minIntervalMillis = minIntervalMillis;
    }

    /** First wait after a retryable failure, e.g. 1s; doubles each time, with jitter. */
    public void setInitialDelay(String duration) {
        this.initialDelayMillis = TimeUtils.toMilliSeconds(duration);
    }

    /** Longest wait between two tries, e.g. 5m. */
    public void setMaxDelay(String duration) {
        this.maxDelayMillis = TimeUtils.toMilliSeconds(duration);
    }

    /** Still failing this long after the first failure: dead letter, e.g. 1h. */
    public void setGiveUpAfter(String duration) {
        this.giveUpAfterMillis = TimeUtils.toMilliSeconds(duration);
    }

    long initialDelayMillis() {
        return initialDelayMillis;
    }

    long maxDelayMillis() {
        return maxDelayMillis;
    }

    long giveUpAfterMillis() {
        return giveUpAfterMillis;
    }

    /**
     * How long this post to {@code url} must wait for its slot; the slot is taken, so posts made from several
     * threads are still spaced.
     */
    long reserveSlot(String url, long nowMillis) {
        if (minIntervalMillis <= 0) {
            return 0;
        }
        long[] wait = new long[1];
        nextSlot.compute(url, (key, next) -> {
            long slot = next == null ? nowMillis : Math.max(nowMillis, next);
            wait[0] = slot - nowMillis;
            return slot + minIntervalMillis;
        });
        return wait[0];
    }

    /** A URL fit for a log line: scheme, host and, of a path deeper than two, its first two segments; the rest hidden. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        int pathStart = url.indexOf('/', url.indexOf("//") + 2);
        if (pathStart < 0) {
            return url;
        }
        int second = url.indexOf('/', pathStart + 1);
        int secretStart = second < 0 ? -1 : url.indexOf('/', second + 1);
        String kept = secretStart < 0 ? url.substring(0, pathStart + 1) : url.substring(0, secretStart + 1);
        int query = kept.indexOf('?');
        return (query < 0 ? kept : kept.substring(0, query)) + "…";
    }
}
