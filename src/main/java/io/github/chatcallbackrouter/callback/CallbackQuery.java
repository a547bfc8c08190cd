package io.github.chatcallbackrouter.callback;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The query parameters Chat appends to the webhook URL, read from the raw query string rather than from message
 * headers, so that an HTTP header of the same name cannot stand in for a signed parameter. Names are matched
 * case-insensitively (Chat's pages spell SdkAppid two ways).
 */
final class CallbackQuery {

    /** Name, value, name, value...: Chat sends about eight parameters, so a list beats a map. */
    private final List<String> pairs = new ArrayList<>(16);

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
                query.pairs.add(decode(rawQuery.substring(start, hasValue ? equals : end)));
                query.pairs.add(hasValue ? decode(rawQuery.substring(equals + 1, end)) : "");
            }
            start = end + 1;
        }
        return query;
    }

    /** The parameter's value, null when absent or empty; refused when it is given twice with different values. */
    String single(String name) {
        String first = first(name);
        for (int i = 0; first != null && i < pairs.size(); i += 2) {
            if (pairs.get(i).equalsIgnoreCase(name) && !pairs.get(i + 1).equals(first)) {
                throw Refusal.MALFORMED_REQUEST.because(
                        "query parameter " + name + " is given more than once with different values");
            }
        }
        return first == null || first.isEmpty() ? null : first;
    }

    /** The parameter's first value, null when absent. */
    String first(String name) {
        for (int i = 0; i < pairs.size(); i += 2) {
            if (pairs.get(i).equalsIgnoreCase(name)) {
                return pairs.get(i + 1);
            }
        }
        return null;
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
