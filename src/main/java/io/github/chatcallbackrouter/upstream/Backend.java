package io.github.chatcallbackrouter.upstream;

import io.github.chatcallbackrouter.callback.Apps;
import io.github.chatcallbackrouter.callback.EventHeaders;
import io.github.chatcallbackrouter.support.Urls;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One app's own backend, as its settings give it ({@code apps.NAME.upstream.*}, else {@code upstream.*}): where it
 * is, which command words it wants, how long a Before-callback waits for it, what the fail policy decides, and the
 * Authorization and token its calls carry. Checked when it is made, so a mistake names the app's setting.
 *
 * @param budgetMillis the longest a Before-callback waits for it, from the callback's arrival
 */
record Backend(String app, String url, Set<String> commands, boolean allButAlarms, long budgetMillis,
               Set<String> denyWhenDown, String authorization, String token) {

    /** The longest any backend may take: Chat waits 2 s in all, and the answer must reach it. */
    static final long MAX_BUDGET_MILLIS = 1800;

    /** The backend of this app, its settings checked. */
    static Backend of(Apps.App app, boolean declared) {
        String prefix = declared ? "apps." + app.name() + ".upstream." : "upstream.";
        String url = app.setting("upstream.url");
        if (!url.isEmpty()) {
            String problem = Urls.problem(url);
            if (problem == null && url.matches("[^?#]*[?#].*")) {
                problem = "has a query, and Chat's query is appended to it";
            }
            if (problem != null) {
                throw new IllegalArgumentException(prefix + "url: '" + Urls.redact(url) + "' " + problem);
            }
        }
        long budget;
        try {
            budget = Long.parseLong(app.setting("upstream.budget-ms"));
        } catch (NumberFormatException e) {
            budget = -1;
        }
        if (budget <= 0 || budget > MAX_BUDGET_MILLIS) {
            throw new IllegalArgumentException(prefix + "budget-ms: '" + app.setting("upstream.budget-ms")
                    + "' is not between 1 and " + MAX_BUDGET_MILLIS + " ms (Chat waits 2 s in all, and the answer"
                    + " must reach it)");
        }
        Set<String> commands = words(app.setting("upstream.commands"));
        return new Backend(app.name(), url, commands, commands.contains("*"), budget,
                words(app.setting("upstream.deny-when-down")), app.setting("upstream.authorization"), app.token());
    }

    /** Whether this command word goes to the backend. */
    boolean relays(String command) {
        return !url.isEmpty() && command != null
                && (commands.contains(command) || allButAlarms && !EventHeaders.isAlarm(command));
    }

    /** What a Before-callback of this word is answered when the backend cannot answer: allow, or deny. */
    String fallbackDecision(String command) {
        return denyWhenDown.contains(command) ? "deny" : "allow";
    }

    private static Set<String> words(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(w -> !w.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Never its token nor its Authorization. */
    @Override
    public String toString() {
        return "Backend[" + app + ", " + (url.isEmpty() ? "none" : Urls.redact(url)) + "]";
    }
}
