package io.github.chatcallbackrouter.config;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import io.github.chatcallbackrouter.support.Urls;
import org.apache.camel.util.TimeUtils;

/**
 * What values a setting takes, as its {@code #:} line in application.properties declares it: {@code port},
 * {@code number >= 1 ms}, {@code number 1..1999 ms}, {@code duration > 0}, {@code duration >= 0}, {@code url},
 * {@code path}, {@code numbers}, {@code text}, {@code required text}, a choice {@code local|kafka}, or
 * {@code fixed} (how the router works, not for tuning: not checked); {@code secret} at the end: never printed.
 */
public record Kind(String declared, boolean fixed, boolean secret) {

    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|s|m|h|d))+");
    private static final Pattern NUMBER = Pattern.compile("number (>= (-?\\d+)|(\\d+)\\.\\.(\\d+))( (ms|s|bytes))?");

    /** The kind a {@code #:} line declares; a line this does not know is a mistake in the shipped file. */
    public static Kind parse(String line) {
        String declared = line.strip();
        boolean secret = declared.endsWith(" secret");
        if (secret) {
            declared = declared.substring(0, declared.length() - " secret".length());
        }
        Kind kind = new Kind(declared, declared.equals("fixed"), secret);
        kind.expected(); // throws for an unknown kind
        return kind;
    }

    /** Whether the value is one of this kind. */
    public boolean accepts(String value) {
        return switch (declared) {
            case "fixed", "text" -> true;
            case "required text" -> !value.isBlank();
            case "port" -> wholeNumber(value) != null && wholeNumber(value) >= 0 && wholeNumber(value) <= 65535;
            case "duration > 0" -> isDuration(value) && TimeUtils.toMilliSeconds(value) > 0;
            case "duration >= 0" -> value.equals("0") || isDuration(value);
            case "url" -> value.isEmpty() || Urls.problem(value) == null;
            case "path" -> value.startsWith("/");
            case "numbers" -> Arrays.stream(value.split(",")).allMatch(n -> wholeNumber(n.strip()) != null);
            default -> declared.startsWith("number ") ? inRange(value) : choices().contains(value);
        };
    }

    /** Why the value is not one of this kind, after the setting's name ("is not a port number..."); null: it is. */
    public String problem(String value) {
        if (accepts(value)) {
            return null;
        }
        return declared.equals("url") && Urls.hasCredentials(value) ? Urls.problem(value) : "is not " + expected();
    }

    /** The value as a problem line may show it: a secret's never, a URL's without its secret parts. */
    public String shown(String value) {
        return secret ? " (secret, not shown)" : " = '" + (declared.equals("url") ? Urls.redact(value) : value) + "'";
    }

    /** What a value should be, for a problem line: "a whole number of milliseconds, 1 or more". */
    public String expected() {
        return switch (declared) {
            case "fixed", "text" -> "any text";
            case "required text" -> "not empty";
            case "port" -> "a port number, 0 to 65535";
            case "duration > 0" -> "a duration above 0 with its unit, such as 500ms, 30s, 5m or 1h";
            case "duration >= 0" -> "a duration with its unit such as 30s or 5m, or 0";
            case "url" -> "an http(s) URL, or empty";
            case "path" -> "a path starting with /";
            case "numbers" -> "whole numbers, comma separated";
            default -> declared.startsWith("number ") ? numberExpected() : choiceExpected();
        };
    }

    private boolean inRange(String value) {
        var number = NUMBER.matcher(declared);
        number.matches();
        Long parsed = wholeNumber(value);
        if (parsed == null) {
            return false;
        }
        return number.group(2) != null ? parsed >= Long.parseLong(number.group(2))
                : parsed >= Long.parseLong(number.group(3)) && parsed <= Long.parseLong(number.group(4));
    }

    private String numberExpected() {
        var number = NUMBER.matcher(declared);
        if (!number.matches()) {
            throw new IllegalArgumentException("not a kind: #: " + declared);
        }
        String unit = number.group(6) == null ? "" : switch (number.group(6)) {
            case "ms" -> " of milliseconds";
            case "s" -> " of seconds";
            default -> " of bytes";
        };
        return "a whole number" + unit + (number.group(2) != null ? ", " + number.group(2) + " or more"
                : " from " + number.group(3) + " to " + number.group(4));
    }

    private String choiceExpected() {
        if (!declared.contains("|") || declared.contains(" ")) {
            throw new IllegalArgumentException("not a kind: #: " + declared);
        }
        return "one of " + String.join(", ", choices());
    }

    private List<String> choices() {
        return List.of(declared.split("\\|"));
    }

    /** A duration with its unit (500ms, 5s, 1h30m): a bare "5" would silently mean 5 ms. */
    private static boolean isDuration(String value) {
        return DURATION.matcher(value).matches();
    }

    private static Long wholeNumber(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
