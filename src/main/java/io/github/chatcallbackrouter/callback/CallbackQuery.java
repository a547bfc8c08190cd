package io.github.chatcallbackrouter.callback;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The query parameters Chat appends to the webhook URL, read from the raw query string rather than from message
 * headers, so that an HTTP header of the same name cannot stand in for a signed parameter. Names are matched
 * case-insensitively (Chat's pages spell SdkAppid two ways); only the parameters Chat sends are kept, each in its
 * slot, so reading a callback's query makes no map and no lower-cased copies.
 */
final class CallbackQuery {

    /** What Chat appends (https://www.tencentcloud.com/document/product/1047/34354), as the routes ask for it. */
    private static final String[] NAMES =
            {"SdkAppid", "CallbackCommand", "contenttype", "ClientIP", "OptPlatform", "Sign", "RequestTime"};

    /** The first value of each parameter, by its place in NAMES. */
    private final String[] values = new String[NAMES.length];
    /** Bit i: parameter i was given twice with different values. */
    private int conflicting;

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
                int slot = slot(rawQuery, start, hasValue ? equals : end);
                String value = hasValue ? decode(rawQuery, equals + 1, end, slot >= 0) : "";
                if (slot >= 0) {
                    String first = query.values[slot];
                    if (first == null) {
                        query.values[slot] = value;
                    } else if (!first.equals(value)) {
                        query.conflicting |= 1 << slot;
                    }
                }
            }
            start = end + 1;
        }
        return query;
    }

    /** The parameter's value, null when absent or empty; refused when it is given twice with different values. */
    String single(String name) {
        int slot = slotOf(name);
        if ((conflicting & (1 << slot)) != 0) {
            throw Refusal.MALFORMED_REQUEST.because(
                    "query parameter " + name + " is given more than once with different values");
        }
        String value = values[slot];
        return value == null || value.isEmpty() ? null : value;
    }

    /** The parameter's first value, null when absent. */
    String first(String name) {
        return values[slotOf(name)];
    }

    private static int slotOf(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name + " is not a parameter Chat sends");
    }

    /** The slot of the name in raw[start, end), in any case; -1 for a parameter Chat does not send. */
    private static int slot(String raw, int start, int end) {
        String name = raw;
        int from = start;
        int length = end - start;
        if (needsDecoding(raw, start, end)) {
            name = decode(raw, start, end, true);
            from = 0;
            length = name.length();
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].length() == length && name.startsWith(NAMES[i], from)) {
                return i; // spelled as Chat spells it: the common case, and the cheaper comparison
            }
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].length() == length && name.regionMatches(true, from, NAMES[i], 0, length)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * raw[start, end) decoded. A value nobody reads is only checked (a bad encoding is refused wherever it is), not
     * copied: then the result is null.
     */
    private static String decode(String raw, int start, int end, boolean wanted) {
        if (!needsDecoding(raw, start, end)) {
            return wanted ? raw.substring(start, end) : null; // Chat's parameters are plain: the hot path
        }
        try {
            return URLDecoder.decode(raw.substring(start, end), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Refusal.MALFORMED_REQUEST.because("query string is not valid URL encoding");
        }
    }

    private static boolean needsDecoding(String raw, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c == '%' || c == '+') {
                return true;
            }
        }
        return false;
    }
}
