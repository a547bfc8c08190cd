package io.github.chatcallbackrouter.alert;

import io.github.chatcallbackrouter.callback.EventHeaders;
import io.github.chatcallbackrouter.journal.Spool;
import io.github.chatcallbackrouter.support.RouterMeters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.util.TimeUtils;

/**
 * Silences, kept as files in the data directory: {@code silence add}, {@code list} and {@code expire} write and
 * read them there, and a running router reads them again whenever they change (checked every
 * alerts.group-check-interval), so a silence applies within seconds, survives restarts and ends by itself.
 *
 * <p>In the routes: {@link #mark} gives a silenced alarm header {@value #SILENCED_BY}; Slack counts it with
 * {@link #hide} instead of posting it; when its silence has ended, {@link #ended} hands out one count per channel,
 * which is posted as a summary of what the silence hid.
 */
public final class Silences {

    /** Header of a silenced alarm: the silence's id. */
    public static final String SILENCED_BY = "AlertSilencedBy";

    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|[dhms]))+");
    private static final Pattern API = Pattern.compile("[^/\\s]+/[^\\s]+");

    private Spool definitions;
    private Spool hidden;
    private List<Silence> known;
    private long knownChange = Long.MIN_VALUE;
    private final Clock clock = Clock.systemUTC();

    /** The silences themselves: {@code silence add} writes them, the router reads them. */
    public void setDefinitions(Spool definitions) {
        this.definitions = definitions;
        RouterMeters.gauge("chat.silences.active", "Silences in force now", () -> active().size());
    }

    /** What each silence hid, by channel, until its summary is posted. */
    public void setHidden(Spool hidden) {
        this.hidden = hidden;
    }

    /** An alarm that an active silence matches gets header {@value #SILENCED_BY} and the silence's id in its record. */
    public void mark(Exchange exchange) {
        Message in = exchange.getIn();
        if (in.getBody() instanceof Alert alert) {
            Optional<Silence> silence = active().stream().filter(s -> s.matches(alert)).findFirst();
            silence.ifPresent(s -> {
                in.setHeader(SILENCED_BY, s.id());
                in.setBody(alert.silencedBy(s.id()));
                RouterMeters.alarmSilenced();
            });
        }
    }

    /** Counts a silenced alarm for the channel it would have been posted to (null: the default channel). */
    public synchronized void hide(Alert alert, String channel) {
        String name = channel == null ? "default" : channel;
        Silence silence = current().stream().filter(s -> s.id().equals(alert.silencedBy())).findFirst().orElse(null);
        if (silence == null) {
            return; // deleted since the alarm was marked: nothing will summarise it
        }
        SilencedAlarms count = hidden.all().stream().map(SilencedAlarms.class::cast)
                .filter(c -> c.id().equals(silence.id() + "-" + name)).findFirst().orElse(null);
        hidden.write(count == null ? SilencedAlarms.first(silence, name, alert) : count.plus(alert));
    }

    /** What ended silences hid, one per channel, each to be summarised there; re-reads the silences first. */
    public synchronized List<SilencedAlarms> ended() {
        Instant now = clock.instant();
        List<SilencedAlarms> ended = new ArrayList<>();
        for (Object entry : hidden.all()) {
            SilencedAlarms count = (SilencedAlarms) entry;
            if (current().stream().noneMatch(s -> s.id().equals(count.silenceId()) && s.isActive(now))) {
                ended.add(count);
            }
        }
        return ended;
    }

    /** Its summary is on its way: forgotten. */
    public void summarised(String id) {
        hidden.remove(id);
    }

    /** Starts a silence; every problem with the request is an IllegalArgumentException that says what to fix. */
    public Silence add(String api, String sdkAppId, String command, String duration, String reason, String by) {
        if (api == null && sdkAppId == null && command == null) {
            throw new IllegalArgumentException("say what to silence: --api, --sdkappid or --command (or several)");
        }
        if (api != null && !API.matcher(api).matches()) {
            throw new IllegalArgumentException("--api " + api + ": a REST API as ServiceName/Command, e.g."
                    + " openim/batchsendmsg (a trailing * matches any ending: openim/*)");
        }
        if (command != null && !EventHeaders.isAlarm(command)) {
            throw new IllegalArgumentException("--command " + command + ": silences are for alarms: "
                    + EventHeaders.OVER_LIMIT + " or " + EventHeaders.DAILY_GROUP_QUOTA);
        }
        if (sdkAppId != null && !sdkAppId.matches("\\d+")) {
            throw new IllegalArgumentException("--sdkappid " + sdkAppId + ": an SDKAppID is a number");
        }
        if (duration == null || !DURATION.matcher(duration).matches() || TimeUtils.toMilliSeconds(duration) <= 0) {
            throw new IllegalArgumentException("--for " + duration + ": how long, such as 30m, 2h or 1d");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("--reason: say why, for whoever wonders where the alarms went");
        }
        Instant now = clock.instant();
        // whole seconds for a reader, never shorter than asked
        Instant end = now.plus(Duration.ofMillis(TimeUtils.toMilliSeconds(duration))).plusNanos(999_999_999)
                .truncatedTo(ChronoUnit.SECONDS);
        Silence silence = new Silence("s-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()),
                api, sdkAppId, command, now.truncatedTo(ChronoUnit.SECONDS).toString(), end.toString(), reason.strip(),
                by);
        definitions.write(silence);
        return silence;
    }

    /** Every silence, active or ended, oldest first. */
    public List<Silence> list() {
        return current();
    }

    /** Ends a silence now; empty when there is none of that id. */
    public Optional<Silence> expire(String id) {
        Optional<Silence> silence = current().stream().filter(s -> s.id().equals(id)).findFirst();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        silence.filter(s -> s.isActive(now)).map(s -> s.endingAt(now)).ifPresent(definitions::write);
        return silence;
    }

    /** How many alarms a silence hid so far, over all channels (those already summarised not counted). */
    public int hiddenBy(String silenceId) {
        return hidden.all().stream().map(SilencedAlarms.class::cast).filter(c -> c.silenceId().equals(silenceId))
                .mapToInt(SilencedAlarms::count).sum();
    }

    public boolean isActive(Silence silence) {
        return silence.isActive(clock.instant());
    }

    private List<Silence> active() {
        Instant now = clock.instant();
        return current().stream().filter(s -> s.isActive(now)).toList();
    }

    /**
     * The silences on disk, read again when the directory changed (a write is a rename into it), or changed so
     * recently that a second write could share its timestamp.
     */
    private synchronized List<Silence> current() {
        long change = definitions.changedAt();
        if (known == null || change != knownChange || clock.millis() - change < 2000) {
            knownChange = change;
            known = definitions.all().stream().map(Silence.class::cast).toList();
        }
        return known;
    }
}
