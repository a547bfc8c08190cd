package io.github.chatcallbackrouter.support;

import java.util.regex.Pattern;

/**
 * URLs as the router shows them: a webhook's path is its secret (Slack's, a robot's token), a query may be one,
 * and credentials before the host ({@code user:password@}) always are.
 */
public final class Urls {

    private static final Pattern HTTP = Pattern.compile("https?://[^/\\s]+(/\\S*)?");

    private Urls() {
    }

    /**
     * Why the router cannot post to this URL, as the end of a sentence naming the setting ("is not an http(s)
     * URL"); null when it can.
     */
    public static String problem(String url) {
        if (url == null || !HTTP.matcher(url).matches()) {
            return "is not an http(s) URL";
        }
        if (hasCredentials(url)) {
            return "carries credentials (user:password@), which would be printed and stored wherever the URL is;"
                    + " give them in a secret setting of their own (upstream.authorization for the app's backend)";
        }
        return null;
    }

    /**
     * A URL fit for a log line: scheme, host and, of a path deeper than two, its first two segments; the rest
     * hidden, and credentials before the host, the query and the fragment never shown.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        int authorityStart = url.indexOf("//") + 2;
        int authorityEnd = endOfAuthority(url, authorityStart);
        int at = url.lastIndexOf('@', authorityEnd - 1);
        String start = url.substring(0, authorityStart) + url.substring(at < authorityStart ? authorityStart : at + 1,
                authorityEnd);
        if (authorityEnd == url.length()) {
            return start;
        }
        if (url.charAt(authorityEnd) != '/') {
            return start + "/…";
        }
        String path = url.substring(authorityEnd);
        int cut = indexOfAny(path, "?#");
        path = cut < 0 ? path : path.substring(0, cut);
        int second = path.indexOf('/', 1);
        int hidden = second < 0 ? -1 : path.indexOf('/', second + 1);
        return start + (hidden < 0 ? "/" : path.substring(0, hidden + 1)) + "…";
    }

    /** Whether the URL carries credentials before its host ({@code https://user:password@host/...}). */
    public static boolean hasCredentials(String url) {
        if (url == null) {
            return false;
        }
        int authorityStart = url.indexOf("//");
        if (authorityStart < 0) {
            return false;
        }
        authorityStart += 2;
        return url.substring(authorityStart, endOfAuthority(url, authorityStart)).contains("@");
    }

    /** The URL without credentials before its host. */
    public static String withoutCredentials(String url) {
        if (!hasCredentials(url)) {
            return url;
        }
        int authorityStart = url.indexOf("//") + 2;
        int at = url.lastIndexOf('@', endOfAuthority(url, authorityStart) - 1);
        return url.substring(0, authorityStart) + url.substring(at + 1);
    }

    private static int endOfAuthority(String url, int from) {
        int end = indexOfAny(url.substring(from), "/?#");
        return end < 0 ? url.length() : from + end;
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
