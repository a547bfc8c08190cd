package io.github.chatcallbackrouter.delivery;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.util.TimeUtils;

/**
 * A kind of place deliveries go, with what the {@link DeliveryEngine} needs to know of it: its {@link Receiver}
 * (how a post is made and its answer read), its pacing, its retries and how much may wait for it. Declared once,
 * beside what sends there (channels.camel.yaml, for what rules forward too; upstream.camel.yaml), with its
 * settings. A delivery names it in {@link Delivery#destination()}: exactly ({@code upstream}), or as
 * {@code NAME:PART} ({@code slack:oncall}) for one of several places of the same kind.
 */
public final class Destination {

    private String name;
    private Receiver receiver;
    private long minIntervalMillis;
    private final List<Pacing.Window> windows = new ArrayList<>();
    private long initialDelayMillis = 1000;
    private long maxDelayMillis = 30_000;
    private long giveUpAfterMillis = 3_600_000;
    private int maxInFlight = 1;
    private int maxQueued = 100_000;

    public String getName() {
        return name;
    }

    /** The name deliveries give in {@link Delivery#destination()}. */
    public void setName(String name) {
        this.name = name;
    }

    /** How posts are made and answers read; a plain HTTP POST ({@link HttpReceiver}) unless set. */
    public void setReceiver(Receiver receiver) {
        this.receiver = receiver;
    }

    /** At least this many milliseconds between the starts of two posts to one URL; 0 = no pacing. */
    public void setMinIntervalMillis(long minIntervalMillis) {
        this.minIntervalMillis = minIntervalMillis;
    }

    /** At most {@code count} posts to one URL in any {@code period} (a robot's documented limit). */
    public void addRateLimit(int count, String period) {
        windows.add(new Pacing.Window(count, TimeUtils.toMilliSeconds(period)));
    }

    /** Rate windows as the route files write them: COUNT/PERIOD, comma separated, e.g. {@code 100/1m,5/1s}. */
    public void setRateLimits(String limits) {
        for (String limit : limits.split(",")) {
            String[] parts = limit.trim().split("/");
            if (parts.length != 2) {
                throw new IllegalArgumentException("rate limit '" + limit.trim() + "' is not COUNT/PERIOD, e.g. 20/1m");
            }
            addRateLimit(Integer.parseInt(parts[0].trim()), parts[1].trim());
        }
    }

    /** First wait after a failed post, e.g. 1s; doubles at each failure in a row, with jitter. */
    public void setInitialDelay(String duration) {
        this.initialDelayMillis = TimeUtils.toMilliSeconds(duration);
    }

    /** Longest wait between two tries, e.g. 30s. */
    public void setMaxDelay(String duration) {
        this.maxDelayMillis = TimeUtils.toMilliSeconds(duration);
    }

    /** A delivery whose destination is still failing this long after it first failed is dead-lettered, e.g. 1h. */
    public void setGiveUpAfter(String duration) {
        this.giveUpAfterMillis = TimeUtils.toMilliSeconds(duration);
    }

    /** Posts to one URL in flight at once while it answers; one at a time while it fails. */
    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = Math.max(1, maxInFlight);
    }

    /**
     * Deliveries that may wait for one URL (its outbox cap); more are refused, except alarms, which are never the
     * ones refused.
     */
    public void setMaxQueued(int maxQueued) {
        this.maxQueued = Math.max(1, maxQueued);
    }

    Receiver receiver() {
        if (receiver == null) {
            receiver = new HttpReceiver("", "");
        }
        return receiver;
    }

    Pacing newPacing() {
        return new Pacing(minIntervalMillis, windows);
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

    int maxInFlight() {
        return maxInFlight;
    }

    int maxQueued() {
        return maxQueued;
    }
}
