package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.config.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.callback.CallbackSamples;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.support.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code send-test --url URL [--sdkappid ID] [--token T] [--command C]}: sends one callback as Chat would, signed,
 * with the documented sample body of the command (an over-limit alarm by default), and prints the router's
 * answer. Exit 0 only when the router answered OK, so a set-up can be checked end to end, Slack included.
 */
public final class SendTest {

    static final String DEFAULT_COMMAND = "Alert.RequestOverLimit";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final PrintStream out;

    public SendTest(PrintStream out) {
        this.out = out;
    }

    public int run(List<String> args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args, Set.of("url", "sdkappid", "token", "command"), Set.of());
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        String url = options.get("url");
        if (url == null) {
            return usage("--url is required, e.g. --url http://localhost:8080/tencent/callback");
        }
        // defaults from this directory's settings, so `send-test --url ...` next to the router just works
        Map<String, String> settings = Settings.read("tencent.sdkappid", "tencent.callback-token",
                "tencent.callback-path");
        String sdkAppId = options.getOrDefault("sdkappid", settings.get("tencent.sdkappid").split(",")[0].trim());
        String token = options.getOrDefault("token", settings.get("tencent.callback-token"));
        String command = options.getOrDefault("command", DEFAULT_COMMAND);
        String callbackUrl = withCallbackPath(url, settings.get("tencent.callback-path"));

        String requestTime = String.valueOf(Instant.now().getEpochSecond());
        String query = "SdkAppid=" + encode(sdkAppId) + "&CallbackCommand=" + encode(command)
                + "&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI";
        String signature = token.isEmpty() ? "" : "&Sign=" + CallbackSignature.sign(token, requestTime)
                + "&RequestTime=" + requestTime;
        URI target;
        try {
            target = URI.create(callbackUrl + "?" + query + signature);
        } catch (IllegalArgumentException e) {
            return usage("--url " + url + " is not a URL: " + e.getMessage());
        }
        out.println("POST " + callbackUrl + "?" + query + (token.isEmpty() ? " (unsigned: no token)"
                : " (signed, RequestTime " + requestTime + ")"));
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

    private int usage(String problem) {
        out.println("send-test: " + problem);
        out.println("usage: send-test --url URL [--sdkappid ID] [--token TOKEN] [--command COMMAND]");
        return 2;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
