package io.github.chatcallbackrouter.support;

/** Cutting text to a length limit without breaking a character in two. */
public final class Text {

    private Text() {
    }

    /**
     * At most {@code max} chars (UTF-16 units, the unit Slack and Java count), ending with "…" when cut; a
     * surrogate pair is never split, so the result is always valid UTF-16.
     */
    public static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // its low half would be cut off
        }
        return text.substring(0, end) + "…";
    }
}
