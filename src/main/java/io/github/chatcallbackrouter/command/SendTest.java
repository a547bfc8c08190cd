package io.github.chatcallbackrouter.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.callback.Apps;
import io.github.chatcallbackrouter.callback.CallbackSamples;
import io.github.chatcallbackrouter.channel.Channel;
import io.github.chatcallbackrouter.channel.Channels;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.delivery.Receiver;
import io.github.chatcallbackrouter.delivery.Verdict;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.LogText;
import io.github.chatcallbackrouter.support.SettingsContext;
import io.github.chatcallbackrouter.support.Urls;
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
import org.apache.camel.CamelContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code send-test}: sends one callback as Chat would, signed, with the documented sample body of the command (an
 * over-limit alarm by default), and prints the router's answer, so a set-up can be checked end to end. With
 * {@code --channel}, it sends a marked test alarm straight to one channel instead, as the router would, and prints
 * the receiver's own answer and what it means.
 */
@Command(name = "send-test", mixinStandardHelpOptions = true, description = {
        "Send a signed sample callback to a router and print its answer; or, with --channel, a test alarm to one"
                + " channel and print the receiver's answer.",
        "The callback is Tencent's documented sample of the command (an over-limit alarm by default), signed as Chat"
                + " signs it. The test alarm is marked TEST in its title. Exit 0 only on an OK answer (a delivered"
                + " one, for a channel)."})
public final class SendTest implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Option(names = "--url", description = "the router, e.g. http://localhost:8080 (the callback path is added) or"
            + " its whole callback URL")
    String url;

    @Option(names = "--channel", paramLabel = "NAME", description = "a channel of application.properties (slack, or"
            + " channels.NAME.*): a test alarm goes straight to it, as the router would send it")
    String channel;

    @Option(names = "--app", paramLabel = "NAME", description = "the app whose SDKAppID and token sign the callback"
            + " (apps.NAME.* here; default: the first app)")
    String app;

    @Option(names = "--sdkappid", paramLabel = "ID", description = "default: the app's")
    String sdkAppId;

    @Option(names = "--token", description = "default: the app's callback-token here")
    String token;

    @Option(names = "--command", paramLabel = "WORD", defaultValue = "Alert.RequestOverLimit",
            description = "the command word (default: ${DEFAULT-VALUE})")
    String command;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if ((url == null) == (channel == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --url (a router) or --channel (a"
                    + " channel), one of them");
        }
        return channel != null ? toChannel(System.out) : toRouter(System.out);
    }

    /** A marked test alarm to the channel, as the router would send it: its receiver's answer, and its meaning. */
    private int toChannel(PrintStream out) throws InterruptedException {
        Channels channels = new Channels();
        channels.setCamelContext(SettingsContext.create("send-test", "file:application.properties", Map.of()));
        Channel target;
        try {
            channels.setSlackUrl(channels.getCamelContext().resolvePropertyPlaceholders("{{slack.webhook-url}}"));
            channels.check();
            target = channels.channel(channel);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!target.isOn()) {
            out.println("FAILED: " + target + " is off: give it a URL (and PagerDuty a routing key) first.");
            return 1;
        }
        Receiver.Request request = channels.testRequest(channel, Instant.now());
        out.println("POST " + Urls.redact(request.url()) + " (channel " + target.name() + ", "
                + target.kind().word() + "): a test alarm, marked TEST");
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(request.url())).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(post::header);
        HttpResponse<String> answer;
        try {
            answer = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(post.build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            out.println("FAILED: no answer from " + Urls.redact(request.url()) + ": " + e);
            return 1;
        }
        out.println("HTTP " + answer.statusCode() + " " + LogText.of(answer.body()));
        Verdict verdict = channels.judge(channel, new Receiver.Answer(answer.statusCode(), Map.of(), answer.body()));
        out.println(verdict.kind() == Verdict.Kind.DELIVERED ? "OK: " + target.kind().word() + " took it ("
                + verdict.answer() + ")." : "FAILED: " + switch (verdict.kind()) {
                    case REFUSED -> "refused for good, the router would dead-letter it: ";
                    case RATE_LIMITED -> "throttled, the router would wait " + verdict.waitMillis() + " ms: ";
                    default -> "the router would try again: ";
                } + verdict.answer());
        return verdict.kind() == Verdict.Kind.DELIVERED ? 0 : 1;
    }

    private int toRouter(PrintStream out) throws InterruptedException {
        // defaults from this directory's settings, so `send-test --url ...` next to the router just works
        CamelContext settings = SettingsContext.create("send-test", "file:application.properties", Map.of());
        Apps apps;
        try {
            apps = Apps.of(settings);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Apps.App named = app == null ? apps.all().iterator().next() : apps.byName(app).orElseThrow(() ->
                new CommandLine.ParameterException(spec.commandLine(), "--app " + app + ": no such app; the apps are "
                        + apps.all().stream().map(Apps.App::name).toList()));
        String id = sdkAppId != null ? sdkAppId : named.sdkAppId();
        String secret = token != null ? token : named.token();
        String callbackUrl = withCallbackPath(url, settings.resolvePropertyPlaceholders("{{tencent.callback-path}}"));
        long requestTime = Instant.now().getEpochSecond();
        String query = CallbackSignature.query(id, command, secret, requestTime);
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
