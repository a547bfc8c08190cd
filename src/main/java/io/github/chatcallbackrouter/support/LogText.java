package io.github.chatcallbackrouter.support;

/** Text from outside (a query value, an API name from a callback) made fit for one log line. */
public final class LogText {

    private static final int MAX = 120;

    private LogText() {
    }

    /** One line, at most 120 characters (never cutting a surrogate pair), "-" for nothing. */
    public static String of(Object value) {
        if (value == null) {
            return "-";
        }
        String text = value.toString().replaceAll("[\\p{Cntrl}\\u2028\\u2029]", "_");
        return text.length() <= MAX ? text : Text.truncate(text, MAX);
    }
}
