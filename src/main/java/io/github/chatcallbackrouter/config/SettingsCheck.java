package io.github.chatcallbackrouter.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The settings whose mistakes Camel would report late or without naming them (a port that is not a number, a
 * pacing interval of 0, a duration with a typo). The settings the routes' beans take (SDKAppIDs, the Slack URL)
 * are checked by the beans themselves when {@link RouteCheck} loads the routes.
 */
public final class SettingsCheck {

    private record Rule(String key, String expected, Predicate<String> valid) {
    }

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)");
    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|s|m|h|d))+");

    private static final List<Rule> RULES = List.of(
            new Rule("camel.server.port", "a port number, 0 to 65535", SettingsCheck::isPort),
            new Rule("camel.management.port", "a port number, 0 to 65535", SettingsCheck::isPort),
            new Rule("router.http.event-loops", "a whole number, 0 for one per CPU core", v -> isWholeNumber(v, 0)),
            new Rule("router.http.max-buffered-bytes", "a number of bytes above 0", v -> isWholeNumber(v, 1)),
            new Rule("router.http.header-timeout", "a duration above 0 such as 5s", v -> isDuration(v, 1)),
            new Rule("router.http.body-timeout", "a duration above 0 such as 5s", v -> isDuration(v, 1)),
            new Rule("router.http.idle-timeout", "a duration above 0 such as 60s", v -> isDuration(v, 1)),
            new Rule("router.http.max-connections", "a whole number above 0", v -> isWholeNumber(v, 1)),
            new Rule("router.recover-interval", "a duration above 0 such as 15s", v -> isDuration(v, 1)),
            new Rule("camel.server.max-body-size", "a number of bytes above 0", v -> isWholeNumber(v, 1)),
            new Rule("tencent.callback-path", "a path starting with /", v -> v.startsWith("/")),
            new Rule("tencent.max-clock-skew-seconds", "a whole number of seconds, 0 or more",
                    v -> isWholeNumber(v, 0)),
            new Rule("slack.min-interval-ms", "a whole number of milliseconds above 0", v -> isWholeNumber(v, 1)),
            new Rule("slack.retry.initial-delay", "a duration above 0 such as 500ms, 1s or 5m",
                    v -> isDuration(v, 1)),
            new Rule("slack.retry.max-delay", "a duration above 0 such as 30s or 5m", v -> isDuration(v, 1)),
            new Rule("slack.retry.give-up-after", "a duration above 0 such as 30m or 1h", v -> isDuration(v, 1)),
            new Rule("http.min-interval-ms", "a whole number of milliseconds, 0 for no pacing", v -> isWholeNumber(v, 0)),
            new Rule("http.retry.initial-delay", "a duration above 0 such as 500ms, 1s or 5m", v -> isDuration(v, 1)),
            new Rule("http.retry.max-delay", "a duration above 0 such as 30s or 5m", v -> isDuration(v, 1)),
            new Rule("http.retry.give-up-after", "a duration above 0 such as 30m or 1h", v -> isDuration(v, 1)),
            new Rule("upstream.budget-ms", "a whole number of milliseconds from 1 to 1999 (Chat waits 2 s)",
                    v -> isWholeNumber(v, 1) && Long.parseLong(v) < 2000),
            new Rule("upstream.memory.queue-size", "a whole number above 0", v -> isWholeNumber(v, 1)),
            new Rule("upstream.max-connections", "a whole number above 0", v -> isWholeNumber(v, 1)),
            new Rule("upstream.after.keep", "disk or memory", v -> v.equals("disk") || v.equals("memory")),
            new Rule("decide.mask-phone-numbers", "true or false", SettingsCheck::isBoolean),
            new Rule("router.reload-routes", "true or false", SettingsCheck::isBoolean),
            new Rule("alerts.group-window", "a duration such as 5m, or 0 to turn folding off", v -> isDuration(v, 0)),
            new Rule("alerts.group-check-interval", "a whole number of milliseconds above 0",
                    v -> isWholeNumber(v, 1)),
            new Rule("router.data-dir", "a directory", v -> !v.isBlank()),
            new Rule("router.mode", "local or kafka", v -> v.equals("local") || v.equals("kafka")),
            new Rule("kafka.publish-timeout-ms", "a whole number of milliseconds above 0", v -> isWholeNumber(v, 1)),
            new Rule("kafka.session-timeout-ms", "a whole number of milliseconds above 0", v -> isWholeNumber(v, 1)));

    private SettingsCheck() {
    }

    /** Each setting that is missing or malformed, as one line naming it, its value and what it should be. */
    public static List<String> problems(PropertiesComponent properties, String fileName) {
        List<String> problems = new ArrayList<>();
        for (Rule rule : RULES) {
            Optional<String> value;
            try {
                value = properties.resolveProperty(rule.key()).map(String::trim);
            } catch (RuntimeException e) {
                problems.add(fileName + ": " + rule.key() + ": " + e.getMessage());
                continue;
            }
            if (value.isEmpty()) {
                problems.add(fileName + ": " + rule.key() + " is missing; it should be " + rule.expected());
            } else if (!rule.valid().test(value.get())) {
                problems.add(fileName + ": " + rule.key() + " = '" + value.get() + "'" + source(properties, rule.key())
                        + " is not " + rule.expected());
            }
        }
        String server = properties.resolveProperty("camel.server.port").orElse("");
        if (!server.isEmpty() && !"0".equals(server)
                && server.equals(properties.resolveProperty("camel.management.port").orElse(""))) {
            problems.add(fileName + ": camel.server.port and camel.management.port are both " + server
                    + "; the management endpoints need a port of their own");
        }
        return problems;
    }

    /** What would start but should not stay so: one line each, naming the settings. */
    public static List<String> warnings(PropertiesComponent properties, String fileName) {
        String token = properties.resolveProperty("tencent.callback-token").orElse("").trim();
        String host = properties.resolveProperty("camel.server.host").orElse("0.0.0.0").trim();
        if (token.isEmpty() && !isLoopback(host)) {
            return List.of(fileName + ": tencent.callback-token is empty, so the signature check is off, and"
                    + " camel.server.host = '" + host + "' listens beyond this machine: anyone who finds the port can"
                    + " post forged alarms. Turn on webhook authentication in Chat's console and set"
                    + " TENCENT_CALLBACK_TOKEN.");
        }
        return List.of();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** " (from env NAME)" when an environment variable set the value. */
    private static String source(PropertiesComponent properties, String key) {
        Object raw = properties.loadProperties().get(key);
        Matcher env = ENV.matcher(raw == null ? "" : raw.toString());
        return env.find() && System.getenv(env.group(1)) != null ? " (from env " + env.group(1) + ")" : "";
    }

    private static boolean isBoolean(String value) {
        return value.equals("true") || value.equals("false");
    }

    private static boolean isPort(String value) {
        return isWholeNumber(value, 0) && Long.parseLong(value) <= 65535;
    }

    private static boolean isWholeNumber(String value, long minimum) {
        try {
            return Long.parseLong(value) >= minimum;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A duration with its unit (500ms, 5s, 1h30m), or 0: a bare "5" would silently mean 5 ms. */
    private static boolean isDuration(String value, long minimumMillis) {
        if (!value.equals("0") && !DURATION.matcher(value).matches()) {
            return false;
        }
        try {
            return TimeUtils.toMilliSeconds(value) >= minimumMillis;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
