package io.github.chatcallbackrouter.delivery;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.util.TimeUtils;

/**
 * A kind of place deliveries go, with what the {@link DeliveryEngine} needs to know of it: its {@link Receiver}
 * (how a post is made and its answer read), its pacing, its retries and how much may wait for it. Declared once,
 * beside what sends there (slack.camel.yaml, upstream.camel.yaml, deliveries.camel.yaml for what rules forward),
 * with its settings. A delivery names it in {@link Delivery#destination()}: exactly ({@code upstream}), or as
 * {@code NAME:PART} ({@code slack:oncall}) for one of several places of the same kind.
 */
public final class Destination {

    private String name;
    private Receiver receiver;
    private String signingToken = "";
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

    /** The callback token a relayed callback is signed again with at each try (tencent.callback-token). */
    public void setSigningToken(String signingToken) {
        this.signingToken = signingToken == null ? "" : signingToken.trim();
    }

    /** At least this many milliseconds between the starts of two posts to one URL; 0 = no pacing. */
    public void setMinIntervalMillis(long minIntervalMillis) {
        this.minIntervalMillis = minIntervalMillis;
    }

    /** At most {@code count} posts to one URL in any {@code period} (a robot's documented limit). */
    public void addRateLimit(int count, String period) {
        windows.add(new Pacing.Window(count, TimeUtils.toMilliSeconds(period)));
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
            receiver = new HttpReceiver(signingToken);
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
