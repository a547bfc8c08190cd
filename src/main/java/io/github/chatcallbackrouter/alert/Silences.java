package io.github.chatcallbackrouter.alert;

import io.github.chatcallbackrouter.callback.EventHeaders;
import io.github.chatcallbackrouter.journal.Spool;
import io.github.chatcallbackrouter.support.RouterMeters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import io.github.chatcallbackrouter.support.LogText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    /** A silence's id names files of its own: a plain word, nothing a path could be made of. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** The channel of the count of everything a silence hid, wherever it was hidden. */
    private static final String ALL = "all";
    private static final Logger LOG = LoggerFactory.getLogger(Silences.class);

    private Spool definitions;
    private Spool hidden;
    private List<Silence> known;
    private String knownFingerprint;
    /** Files said to be unusable, with what was said: each is said once, until it changes. */
    private final Map<Path, String> unusable = new HashMap<>();
    private final Clock clock;

    public Silences() {
        this(Clock.systemUTC());
    }

    /** With a clock of the test's. */
    Silences(Clock clock) {
        this.clock = clock;
    }

    /** The silences themselves: {@code silence add} writes them, the router reads them. */
    public void setDefinitions(Spool definitions) {
        this.definitions = definitions;
        RouterMeters.gauge("chat.silences.active", "Silences in force now", () -> active().size());
    }

    /** What each silence hid, by channel, until its summary is posted. */
    public void setHidden(Spool hidden) {
        this.hidden = hidden;
    }

    /**
     * An alarm that an active silence matches gets header {@value #SILENCED_BY} and the silence's id in its record,
     * and is counted for that silence, whether or not a channel would have posted it.
     */
    public void mark(Exchange exchange) {
        Message in = exchange.getIn();
        if (in.getBody() instanceof Alert alert) {
            Optional<Silence> silence = active().stream().filter(s -> s.matches(alert)).findFirst();
            silence.ifPresent(s -> {
                in.setHeader(SILENCED_BY, s.id());
                in.setBody(alert.silencedBy(s.id()));
                RouterMeters.alarmSilenced();
                count(s, ALL, alert);
            });
        }
    }

    /** Counts a silenced alarm for the channel it would have been posted to (null: Slack's). */
    public void hide(Alert alert, String channel) {
        current().stream().filter(s -> s.id().equals(alert.silencedBy())).findFirst()
                .ifPresent(silence -> count(silence, channel == null ? "slack" : channel, alert));
    }

    private synchronized void count(Silence silence, String channel, Alert alert) {
        SilencedAlarms count = hidden.all().stream().map(SilencedAlarms.class::cast)
                .filter(c -> c.id().equals(silence.id() + "-" + channel)).findFirst().orElse(null);
        try {
            hidden.write(count == null ? SilencedAlarms.first(silence, channel, alert) : count.plus(alert));
        } catch (RuntimeException e) {
            // a disk that refuses the count loses a count, never the alarm's record
            LOG.warn("Cannot count an alarm hidden by silence {}: {}", silence.id(), LogText.of(e.getMessage()));
        }
    }

    /** What ended silences hid, one per channel, each to be summarised there; re-reads the silences first. */
    public synchronized List<SilencedAlarms> ended() {
        Instant now = clock.instant();
        List<SilencedAlarms> ended = new ArrayList<>();
        for (Object entry : hidden.all()) {
            SilencedAlarms count = (SilencedAlarms) entry;
            if (!ALL.equals(count.channel())
                    && current().stream().noneMatch(s -> s.id().equals(count.silenceId()) && s.isActive(now))) {
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

    /** How many alarms a silence hid, wherever they were hidden (in the alert file only, Slack off, included). */
    public int hiddenBy(String silenceId) {
        return hidden.all().stream().map(SilencedAlarms.class::cast)
                .filter(c -> c.silenceId().equals(silenceId) && ALL.equals(c.channel()))
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
     * The usable silences on disk, read again whenever one of their files changes (written by {@code silence}, or
     * edited in place). A file that cannot be used is skipped, and said once, naming it, until it changes: one bad
     * file stops no alarm and no other silence.
     */
    private synchronized List<Silence> current() {
        String fingerprint = definitions.fingerprint();
        if (known == null || !fingerprint.equals(knownFingerprint)) {
            knownFingerprint = fingerprint;
            List<Silence> usable = new ArrayList<>();
            Map<Path, String> problems = new HashMap<>();
            for (Spool.File file : definitions.files()) {
                String problem = file.problem() != null ? "not a silence: " + file.problem()
                        : problem((Silence) file.entry());
                if (problem == null) {
                    usable.add((Silence) file.entry());
                } else {
                    problems.put(file.path(), problem);
                    if (!problem.equals(unusable.get(file.path()))) {
                        LOG.error("Silence file {} is skipped: {}. Fix or delete it (silence add writes good ones)",
                                file.path(), problem);
                        RouterMeters.silenceSkipped();
                    }
                }
            }
            unusable.clear();
            unusable.putAll(problems);
            known = List.copyOf(usable);
        }
        return known;
    }

    /** What makes a silence read from a file unusable, or null. */
    private static String problem(Silence silence) {
        if (silence.id() == null || !ID.matcher(silence.id()).matches()) {
            return "its id " + LogText.of(silence.id()) + " is not a plain id (letters, digits, - and _)";
        }
        if (silence.endsAt() == null) {
            return "it has no endsAt";
        }
        for (String time : new String[] {silence.startsAt(), silence.endsAt()}) {
            if (time != null) {
                try {
                    Instant.parse(time);
                } catch (DateTimeParseException e) {
                    return "'" + LogText.of(time) + "' is not a time such as 2026-12-01T10:00:00Z";
                }
            }
        }
        return null;
    }
}
