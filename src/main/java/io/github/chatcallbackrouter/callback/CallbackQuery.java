package io.github.chatcallbackrouter.callback;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The query parameters Chat appends to the webhook URL, read from the raw query string rather than from message
 * headers, so that an HTTP header of the same name cannot stand in for a signed parameter. Names are matched
 * case-insensitively (Chat's pages spell SdkAppid two ways).
 */
final class CallbackQuery {

    private final Map<String, List<String>> parameters = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private CallbackQuery() {
    }

    static CallbackQuery parse(String rawQuery) {
        CallbackQuery query = new CallbackQuery();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            query.parameters.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        return query;
    }

    /** The parameter's value, null when absent or empty; refused when it is given twice with different values. */
    String single(String name) {
        List<String> values = parameters.get(name);
        if (values == null) {
            return null;
        }
        String first = values.get(0);
        for (String other : values) {
            if (!other.equals(first)) {
                throw Refusal.MALFORMED_REQUEST.because(
                        "query parameter " + name + " is given more than once with different values");
            }
        }
        return first.isEmpty() ? null : first;
    }

    /** The parameter's first value, null when absent. */
    String first(String name) {
        List<String> values = parameters.get(name);
        return values == null ? null : values.get(0);
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
