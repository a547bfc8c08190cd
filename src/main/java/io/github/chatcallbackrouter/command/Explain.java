package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.config.Settings;
import io.github.chatcallbackrouter.callback.CallbackSamples;
import io.github.chatcallbackrouter.explain.Explainer;
import io.github.chatcallbackrouter.explain.Explanation;
import io.github.chatcallbackrouter.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code explain --command WORD [--body FILE|-] [--sdkappid ID] [--json]}: one callback through this directory's
 * settings and route files, every delivery replaced by a recorder; prints the answer Chat would get, the decision
 * and rule that matched, and each place the event would go with what it would receive. Exit 0 when it would be
 * delivered somewhere, 1 when nowhere, 2 when the command cannot run.
 */
public final class Explain {

    private static final String USAGE = "usage: explain --command WORD [--body FILE | --body -] [--sdkappid ID] [--json]"
            + "\n  without --body: the sample body Tencent documents for the command; --body - reads standard input";

    private final PrintStream out;
    private final InputStream in;

    public Explain(PrintStream out, InputStream in) {
        this.out = out;
        this.in = in;
    }

    public int run(List<String> args) throws Exception {
        Options options;
        String body;
        try {
            options = Options.parse(args, Set.of("command", "body", "sdkappid"), Set.of("json"));
            if (options.get("command") == null) {
                throw new IllegalArgumentException("--command is required, e.g. --command Alert.RequestOverLimit");
            }
            body = body(options.get("body"), options.get("command"));
        } catch (IllegalArgumentException e) {
            out.println("explain: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        Explanation explanation;
        try (Explainer explainer = new Explainer(Settings.propertiesLocation(), Settings.routesPattern(), Map.of(), true)) {
            explanation = explainer.explain(new Explainer.Callback(options.get("command"), options.get("sdkappid"),
                    body, Map.of()));
        }
        out.print(options.has("json") ? Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(explanation) + "\n" : explanation.toText());
        return explanation.delivers() ? 0 : 1;
    }

    private String body(String source, String command) {
        try {
            if (source == null) {
                return CallbackSamples.body(command);
            }
            byte[] bytes = source.equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(source));
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--body " + source + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
