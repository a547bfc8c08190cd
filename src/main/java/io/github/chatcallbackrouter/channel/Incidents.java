package io.github.chatcallbackrouter.channel;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.journal.Spool;
import io.github.chatcallbackrouter.support.BoundedLog;
import io.github.chatcallbackrouter.support.LogText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incidents open on the channels that resolve them (PagerDuty): every alarm of a group sent there, folded ones
 * included, keeps its incident open; once the group has been quiet for alerts.resolve-after, it is due to be
 * resolved (channels.camel.yaml sends the resolve). Kept in a {@link Spool}, so an incident open before a restart
 * is still resolved after it; the last alarm's time is written at most every {@value #WRITE_EVERY_MILLIS} ms.
 */
public final class Incidents {

    private static final Logger LOG = LoggerFactory.getLogger(Incidents.class);
    private static final long WRITE_EVERY_MILLIS = 10_000;

    private final Clock clock;
    private Spool spool;
    private Channels channels;
    private long resolveAfterMillis = 900_000;
    private Map<String, Incident> open;
    private final BoundedLog unwritten = new BoundedLog(1, Duration.ofMinutes(1));

    public Incidents() {
        this(Clock.systemUTC());
    }

    Incidents(Clock clock) {
        this.clock = clock;
    }

    public void setSpool(Spool spool) {
        this.spool = spool;
    }

    public void setChannels(Channels channels) {
        this.channels = channels;
    }

    /** How long a group stays quiet before its incident is resolved, e.g. 15m. */
    public void setResolveAfter(String duration) {
        this.resolveAfterMillis = TimeUtils.toMilliSeconds(duration);
    }

    /** An alarm of its group went to this channel (or was folded there): its incident is open, and stays so. */
    public synchronized void seen(Alert alert, String channelName) {
        Channel channel = channels.find(channelName).orElse(null);
        if (channel == null || !channel.kind().resolves()) {
            return;
        }
        String dedupKey = PagerDutyEvents.dedupKey(channel.name(), alert.groupKey());
        long now = clock.millis();
        Incident known = incidents().get(dedupKey);
        Incident seen = known == null
                ? new Incident(dedupKey, channel.name(), dedupKey, alert.title(), Instant.ofEpochMilli(now).toString(),
                        now)
                : known.seenAt(now);
        incidents().put(dedupKey, seen);
        if (known == null || now - known.lastSeenAt() >= WRITE_EVERY_MILLIS) {
            write(seen);
        }
    }

    /** The incidents whose group has been quiet for resolve-after: to be resolved now. */
    public synchronized List<Incident> due() {
        long now = clock.millis();
        List<Incident> due = new ArrayList<>();
        for (Incident incident : incidents().values()) {
            if (now - incident.lastSeenAt() >= resolveAfterMillis) {
                due.add(incident);
            }
        }
        return due;
    }

    /** Its resolve is in the outbox: the incident is closed here. */
    public synchronized void resolved(String id) {
        incidents().remove(id);
        try {
            spool.remove(id);
        } catch (RuntimeException e) {
            // read again at a restart, and resolved a second time: PagerDuty ignores a resolve of a closed incident
        }
    }

    private void write(Incident incident) {
        try {
            spool.write(incident);
        } catch (RuntimeException e) {
            String note = unwritten.admit("write");
            if (note != null) {
                LOG.warn("Open incidents are kept in memory only, their disk refuses them ({}): after a restart now"
                        + " they would not be resolved{}", LogText.of(e.getMessage()), note);
            }
        }
    }

    private Map<String, Incident> incidents() {
        if (open == null) {
            open = new HashMap<>();
            for (Object entry : spool.all()) {
                Incident incident = (Incident) entry;
                open.put(incident.id(), incident);
            }
        }
        return open;
    }
}
