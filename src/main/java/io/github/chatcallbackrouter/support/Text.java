package io.github.chatcallbackrouter.support;

import java.nio.charset.StandardCharsets;

/** Cutting text to a length limit without breaking a character in two. */
public final class Text {

    /** What a text cut to a receiver's limit ends with, so a reader knows there was more. */
    public static final String CUT = "… (cut)";

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

    /**
     * At most {@code maxBytes} bytes of UTF-8, the unit WeCom and DingTalk count (a Chinese character is three),
     * ending with {@link #CUT} when cut; never a character in two.
     */
    public static String truncateUtf8(String text, int maxBytes) {
        if (utf8Length(text) <= maxBytes) {
            return text;
        }
        int budget = maxBytes - utf8Length(CUT);
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = utf8Length(new String(Character.toChars(codePoint)));
            if (bytes + size > budget) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end) + CUT;
    }

    /** The length of the text in UTF-8 bytes. */
    public static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
