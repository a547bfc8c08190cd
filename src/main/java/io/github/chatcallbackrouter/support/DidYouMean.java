package io.github.chatcallbackrouter.support;

import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/** The name a typo meant: the closest known one, within three edits, dashes and case aside. */
public final class DidYouMean {

    private static final int MAX_EDITS = 3;

    private DidYouMean() {
    }

    /** " (did you mean x?)" for the closest known name, when one is close; "" when none is. */
    public static String among(String wanted, Stream<String> known) {
        String typed = normalised(wanted);
        return known.map(name -> new Object[] {name, distance(typed, normalised(name))})
                .filter(pair -> (int) pair[1] <= MAX_EDITS)
                .min(Comparator.comparingInt(pair -> (int) pair[1]))
                .map(pair -> " (did you mean " + pair[0] + "?)").orElse("");
    }

    /** camel.main.shutdown-timeout and camel.main.shutdownTimeout are one name. */
    public static String normalised(String name) {
        return name.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                current[j] = Math.min(Math.min(current[j - 1], previous[j]) + 1,
                        previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.length()];
    }
}
