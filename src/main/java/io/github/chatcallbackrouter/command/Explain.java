package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.callback.CallbackSamples;
import io.github.chatcallbackrouter.config.Settings;
import io.github.chatcallbackrouter.explain.Explainer;
import io.github.chatcallbackrouter.explain.Explanation;
import io.github.chatcallbackrouter.support.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code explain}: one callback through this directory's settings and route files, every delivery replaced by a
 * recorder; prints the answer Chat would get, the decision and rule that matched, and each place the event would
 * go with what it would receive.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, description = {
        "Show what the rules would do with one callback, sending nothing.",
        "The callback runs through this directory's routes with every delivery recorded, not made: the rule that"
                + " matched, each place it would go and what it would receive, the answer Chat would get. Exit 0 when"
                + " it would be delivered somewhere, 1 when nowhere."})
public final class Explain implements Callable<Integer> {

    @Option(names = "--command", required = true, paramLabel = "WORD",
            description = "the command word, e.g. Alert.RequestOverLimit")
    String command;

    @Option(names = "--body", paramLabel = "FILE",
            description = "the callback's JSON body; - reads standard input; without it, Tencent's documented sample")
    String body;

    @Option(names = "--app", paramLabel = "NAME", description = "the app, by the name apps.NAME.* declares (default:"
            + " the first app)")
    String app;

    @Option(names = "--sdkappid", paramLabel = "ID", description = "the app, by its SDKAppID")
    String sdkAppId;

    @Option(names = "--json", description = "print the same as JSON, for scripts")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String callback = body();
        Explanation explanation;
        try (Explainer explainer = new Explainer(Settings.propertiesLocation(), Settings.routesPattern(), Map.of(),
                true)) {
            String sdk = sdkAppId;
            if (app != null) {
                sdk = explainer.sdkAppIdOf(app).orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(), "--app " + app + ": no such app; the apps are "
                        + String.join(", ", explainer.appNames())));
            }
            explanation = explainer.explain(new Explainer.Callback(command, sdk, callback, Map.of()));
        }
        PrintStream out = System.out;
        out.print(json ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(explanation) + "\n"
                : explanation.toText());
        return explanation.delivers() ? 0 : 1;
    }

    private String body() {
        try {
            if (body == null) {
                return CallbackSamples.body(command);
            }
            byte[] bytes = body.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(body));
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--body " + body + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
