package io.github.chatcallbackrouter.alert;

import io.github.chatcallbackrouter.journal.Spooled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A silence: alarms it matches are recorded (the alert file, with its id) but not paged (Slack, direct:forward)
 * until it ends. Written by {@code silence add} into the data directory, read by the running router.
 *
 * @param api      the REST API, e.g. {@code openim/batchsendmsg}; a trailing {@code *} matches any ending
 *                 ({@code openim/*}); null matches every API
 * @param sdkAppId the app, or null for every app
 * @param command  the alarm's command word, or null for both alarms
 * @param startsAt ISO-8601 instant it starts at; it hides nothing before
 * @param endsAt   ISO-8601 instant it ends at ({@code silence expire} moves it to now)
 */
public record Silence(String id, String api, String sdkAppId, String command, String startsAt, String endsAt,
                      String reason, String createdBy) implements Spooled {

    /** From its start (now, when it has none) until its end. */
    public boolean isActive(Instant now) {
        return (startsAt == null || !now.isBefore(Instant.parse(startsAt))) && now.isBefore(Instant.parse(endsAt));
    }

    /** Whether this silence, while active, hides the alert. */
    public boolean matches(Alert alert) {
        return (api == null || matchesApi(alert.api()))
                && (sdkAppId == null || sdkAppId.equals(alert.sdkAppId()))
                && (command == null || command.equals(alert.command()));
    }

    private boolean matchesApi(String alarmApi) {
        if (alarmApi == null) {
            return false;
        }
        return api.endsWith("*") ? alarmApi.startsWith(api.substring(0, api.length() - 1)) : api.equals(alarmApi);
    }

    /** What it matches, in a line: {@code api openim/batchsendmsg, SDKAppID 1400000000}. */
    public String matchers() {
        List<String> parts = new ArrayList<>();
        if (api != null) {
            parts.add("api " + api);
        }
        if (command != null) {
            parts.add("command " + command);
        }
        if (sdkAppId != null) {
            parts.add("SDKAppID " + sdkAppId);
        }
        return String.join(", ", parts);
    }

    Silence endingAt(Instant now) {
        return new Silence(id, api, sdkAppId, command, startsAt, now.toString(), reason, createdBy);
    }
}
