package io.github.chatcallbackrouter.alert;

import io.github.chatcallbackrouter.journal.Spool;
import io.github.chatcallbackrouter.support.BoundedLog;
import io.github.chatcallbackrouter.support.LogText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds storms, by one rule: alarms with the same grouping key (SDKAppID + ServiceName + Command for over-limit
 * alarms) for the same channel inside one window are one group. The first goes out at once; the repeats are only counted; when the
 * window ends, one summary says how many came, the peak, and the first and last time. The next alarm after that
 * opens a new window.
 *
 * <p>Open groups are kept in a {@link Spool}, so the count survives a restart (in memory only while its disk refuses
 * them). An alarm folded once is not counted again when it is routed again.
 */
public final class AlertGrouper {

    private static final Logger LOG = LoggerFactory.getLogger(AlertGrouper.class);

    private Spool spool;
    private long windowMillis = 300_000;
    private final Clock clock;
    private Map<String, AlertGroup> open;
    /** Per open group, the alarms folded into it: one routed again (its rules failed, a restart) is not counted twice. */
    private final Map<String, Set<String>> folded = new HashMap<>();
    /** Windows that ended when a new alarm of their key came, before the summary timer saw them. */
    private final List<AlertGroup> closedEarly = new ArrayList<>();
    private final BoundedLog unwritten = new BoundedLog(1, Duration.ofMinutes(1));

    public AlertGrouper() {
        this(Clock.systemUTC());
    }

    /** With a clock of the test's, which moves windows on without waiting. */
    AlertGrouper(Clock clock) {
        this.clock = clock;
    }

    public void setSpool(Spool spool) {
        this.spool = spool;
    }

    /** The window, e.g. 5m; 0 turns grouping off (every alarm goes out). */
    public void setWindow(String duration) {
        this.windowMillis = TimeUtils.toMilliSeconds(duration);
    }

    /** True when this alarm is to go out now to this channel; false when it was folded into the channel's open group. */
    public synchronized boolean admit(Alert alert, String channel) {
        if (windowMillis <= 0) {
            return true;
        }
        long now = clock.millis();
        String slot = slot(alert.groupKey(), channel);
        AlertGroup group = groups().get(slot);
        if (group == null || group.windowEndsAt() <= now) {
            if (group != null && group.repeats() > 0) {
                closedEarly.add(group);
            }
            folded.remove(slot);
            AlertGroup opened = new AlertGroup(idOf(slot), alert.groupKey(), alert.title(),
                    alert.sdkAppId(), alert.api() != null ? alert.api() : alert.command(), alert.unit(),
                    alert.eventId(), alert.receivedAt(), alert.receivedAt(), now + windowMillis, 0,
                    alert.observed(), channel);
            put(opened);
            return true;
        }
        if (group.firstEventId().equals(alert.eventId())) {
            return true; // the opening alarm again, replayed after a crash: it may not have gone out
        }
        if (folded.computeIfAbsent(slot, s -> new HashSet<>()).add(alert.eventId())) {
            put(group.fold(alert));
        }
        return false;
    }

    /** Closes the groups whose window has ended; returns those with repeats, to be summarised. */
    public synchronized List<AlertGroup> closeExpired() {
        long now = clock.millis();
        List<AlertGroup> due = new ArrayList<>(closedEarly);
        closedEarly.clear();
        for (AlertGroup group : List.copyOf(groups().values())) {
            if (group.windowEndsAt() <= now) {
                groups().remove(slot(group.key(), group.channelName()));
                folded.remove(slot(group.key(), group.channelName()));
                try {
                    spool.remove(group.id());
                } catch (RuntimeException e) {
                    // left on a disk that refuses changes: read again at a restart, its window long over
                }
                if (group.repeats() > 0) {
                    due.add(group);
                }
            }
        }
        return due;
    }

    /** The group as it is now, in memory and on disk; a disk that refuses it leaves it in memory only. */
    private void put(AlertGroup group) {
        groups().put(slot(group.key(), group.channelName()), group);
        try {
            spool.write(group);
        } catch (RuntimeException e) {
            String note = unwritten.admit("write");
            if (note != null) {
                LOG.warn("Open alarm groups are kept in memory only, their disk refuses them ({}): a restart now"
                        + " would start their windows afresh{}", LogText.of(e.getMessage()), note);
            }
        }
    }

    /** A group per key and channel: Slack's keeps the plain key, as before channels had names ("default"). */
    private static String slot(String key, String channel) {
        return channel == null || channel.equals("slack") || channel.equals("default") ? key : key + "\n" + channel;
    }

    private Map<String, AlertGroup> groups() {
        if (open == null) {
            open = new HashMap<>();
            for (Object entry : spool.all()) {
                AlertGroup group = (AlertGroup) entry;
                open.put(slot(group.key(), group.channelName()), group);
            }
        }
        return open;
    }

    /**
     * The group's file name: a hash of its key, never the key itself. A key holds text from the callback (an API
     * name of any length and any characters), and two different keys must never share a file.
     */
    static String idOf(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "group-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
