package io.github.chatcallbackrouter.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.callback.CallbackSamples;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.config.Settings;
import io.github.chatcallbackrouter.support.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code send-test}: sends one callback as Chat would, signed, with the documented sample body of the command (an
 * over-limit alarm by default), and prints the router's answer, so a set-up can be checked end to end.
 */
@Command(name = "send-test", mixinStandardHelpOptions = true, description = {
        "Send a signed sample callback to a router and print its answer.",
        "The callback is Tencent's documented sample of the command (an over-limit alarm by default), signed as Chat"
                + " signs it. Exit 0 only on an OK answer."})
public final class SendTest implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Option(names = "--url", required = true, description = "the router, e.g. http://localhost:8080 (the callback"
            + " path is added) or its whole callback URL")
    String url;

    @Option(names = "--sdkappid", paramLabel = "ID", description = "default: the first of tencent.sdkappid here")
    String sdkAppId;

    @Option(names = "--token", description = "default: tencent.callback-token here")
    String token;

    @Option(names = "--command", paramLabel = "WORD", defaultValue = "Alert.RequestOverLimit",
            description = "the command word (default: ${DEFAULT-VALUE})")
    String command;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        // defaults from this directory's settings, so `send-test --url ...` next to the router just works
        Map<String, String> settings = Settings.read("tencent.sdkappid", "tencent.callback-token",
                "tencent.callback-path");
        String app = sdkAppId != null ? sdkAppId : settings.get("tencent.sdkappid").split(",")[0].trim();
        String secret = token != null ? token : settings.get("tencent.callback-token");
        String callbackUrl = withCallbackPath(url, settings.get("tencent.callback-path"));
        long requestTime = Instant.now().getEpochSecond();
        String query = CallbackSignature.query(app, command, secret, requestTime);
        URI target;
        try {
            target = URI.create(callbackUrl + "?" + query);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url " + url + " is not a URL: "
                    + e.getMessage());
        }
        out.println("POST " + callbackUrl + "?" + query.replaceFirst("&Sign=.*", "") + (secret.isEmpty()
                ? " (unsigned: no token)" : " (signed, RequestTime " + requestTime + ")"));
        HttpResponse<String> answer;
        try {
            answer = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(
                    HttpRequest.newBuilder(target).timeout(TIMEOUT)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(CallbackSamples.body(command))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            out.println("FAILED: no answer from " + target.getHost() + ":" + target.getPort() + ": " + e);
            return 1;
        }
        out.println("HTTP " + answer.statusCode() + " " + answer.body());
        if (answer.statusCode() == 200 && isOk(answer.body())) {
            out.println("OK: the router accepted the " + command + " callback.");
            return 0;
        }
        out.println("FAILED: the router did not answer OK (see ErrorInfo above).");
        return 1;
    }

    /** A bare http://host:port gets the router's callback path. */
    private static String withCallbackPath(String url, String callbackPath) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return trimmed.matches("https?://[^/]+") ? trimmed + callbackPath : trimmed;
    }

    private static boolean isOk(String body) {
        try {
            JsonNode ack = Json.MAPPER.readTree(body);
            return "OK".equals(ack.path("ActionStatus").asText()) && ack.path("ErrorCode").asInt(-1) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
