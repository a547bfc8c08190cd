package io.github.chatcallbackrouter.callback;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters Chat appends to the webhook URL, read from the raw query string rather than from message
 * headers, so that an HTTP header of the same name cannot stand in for a signed parameter. Names are matched
 * case-insensitively (Chat's pages spell SdkAppid two ways).
 */
final class CallbackQuery {

    /** Values by lower-case name, the first of each; names given twice with different values are noted. */
    private final Map<String, String> values = new HashMap<>(16);
    private Set<String> conflicting;

    private CallbackQuery() {
    }

    static CallbackQuery parse(String rawQuery) {
        CallbackQuery query = new CallbackQuery();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            if (end > start) {
                int equals = rawQuery.indexOf('=', start);
                boolean hasValue = equals >= 0 && equals < end;
                String name = decode(rawQuery.substring(start, hasValue ? equals : end)).toLowerCase(Locale.ROOT);
                String value = hasValue ? decode(rawQuery.substring(equals + 1, end)) : "";
                String first = query.values.putIfAbsent(name, value);
                if (first != null && !first.equals(value)) {
                    if (query.conflicting == null) {
                        query.conflicting = new HashSet<>();
                    }
                    query.conflicting.add(name);
                }
            }
            start = end + 1;
        }
        return query;
    }

    /** The parameter's value, null when absent or empty; refused when it is given twice with different values. */
    String single(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (conflicting != null && conflicting.contains(key)) {
            throw Refusal.MALFORMED_REQUEST.because(
                    "query parameter " + name + " is given more than once with different values");
        }
        String value = values.get(key);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The parameter's first value, null when absent. */
    String first(String name) {
        return values.get(name.toLowerCase(Locale.ROOT));
    }

    private static String decode(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text; // Chat's parameters are plain: nothing to decode (the common case, and a hot path)
        }
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Refusal.MALFORMED_REQUEST.because("query string is not valid URL encoding");
        }
    }
}
