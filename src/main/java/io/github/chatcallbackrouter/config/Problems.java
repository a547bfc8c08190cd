package io.github.chatcallbackrouter.config;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;

/** One line an operator can act on, from an exception Camel raised while loading or creating routes. */
final class Problems {

    private static final Pattern BEAN = Pattern.compile("Error creating bean: (\\S+) of type");

    private Problems() {
    }

    /**
     * Where (the route or bean) and what: the innermost cause, which is the one that says what is wrong (Camel
     * wraps a bean's "this setting is wrong" in "error binding property" in "error creating bean"). The values of
     * secret settings never appear, whatever Camel's own messages quote.
     */
    static String describe(Throwable error, Collection<String> secrets) {
        String where = null;
        String what = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FailedToCreateRouteException created) {
                where = "route " + created.getRouteId();
            } else if (t instanceof FailedToStartRouteException started) {
                where = "route " + started.getRouteId();
            }
            Matcher bean = BEAN.matcher(String.valueOf(t.getMessage()));
            if (bean.find()) {
                where = "bean " + bean.group(1);
            }
            if (t.getMessage() != null) {
                what = t.getMessage();
            }
        }
        String line = (where == null ? "" : where + ": ") + firstLines(what == null ? error.toString() : what);
        for (String secret : secrets) {
            if (secret != null && !secret.isBlank()) {
                line = line.replace(secret, "(secret)");
            }
        }
        return line;
    }

    /** Camel's messages can carry a whole route dump: the first three lines say what is wrong. */
    private static String firstLines(String message) {
        return String.join(" ", message.lines().map(String::strip).filter(l -> !l.isEmpty()).limit(3).toList());
    }
}
