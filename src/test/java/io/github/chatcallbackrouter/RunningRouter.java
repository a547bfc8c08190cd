package io.github.chatcallbackrouter;

import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.callback.CallbackSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import io.github.chatcallbackrouter.runtime.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;

/**
 * The router as a user runs it (routes/ and application.properties of this checkout), started in this JVM on a
 * free loopback port, and a real HTTP client to call it.
 */
public final class RunningRouter implements AutoCloseable {

    public static final String SDKAPPID = "1400000001";
    public static final String TOKEN = "test-token-that-must-never-be-logged";

    private final Main main;
    private final int port;
    private final int managementPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningRouter(Main main, int port, int managementPort) {
        this.main = main;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts the router with signing on, the given data directory and Slack webhook ("" = Slack off). */
    public static RunningRouter start(Path dataDir, String slackWebhookUrl, Map<String, String> extra)
            throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Map<String, String> settings = new HashMap<>();
        settings.put("camel.server.host", "127.0.0.1");
        settings.put("camel.server.port", String.valueOf(port));
        int managementPort = AvailablePortFinder.getNextAvailable();
        settings.put("camel.management.host", "127.0.0.1");
        settings.put("camel.management.port", String.valueOf(managementPort));
        settings.put("tencent.sdkappid", SDKAPPID + ",1400000002");
        settings.put("tencent.callback-token", TOKEN);
        settings.put("slack.webhook-url", slackWebhookUrl);
        settings.put("router.data-dir", dataDir.toString());
        settings.putAll(extra);
        Main main = Router.create(settings);
        try {
            main.start();
        } catch (Exception e) {
            main.stop(); // releases what the failed start took: the ports, the data directory's lock
            throw e;
        }
        return new RunningRouter(main, port, managementPort);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public int port() {
        return port;
    }

    /** The callback URL with the parameters Chat appends, correctly signed now. */
    public String signedUrl(String command) {
        String requestTime = String.valueOf(Instant.now().getEpochSecond());
        return url("SdkAppid=" + SDKAPPID + "&CallbackCommand=" + command + "&contenttype=json&ClientIP=10.0.0.7"
                + "&OptPlatform=iOS&Sign=" + CallbackSignature.sign(TOKEN, requestTime) + "&RequestTime=" + requestTime);
    }

    /** A URL of the management server, e.g. /observe/metrics. */
    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    public String url(String query) {
        return "http://127.0.0.1:" + port + "/tencent/callback" + (query.isEmpty() ? "" : "?" + query);
    }

    /** POSTs a correctly signed callback, as Chat does. */
    public HttpResponse<String> post(String command, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(signedUrl(command)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Deliveries waiting in the outbox (chat_outbox_depth), for a test that waits until they are all dealt with. */
    public double outboxDepth() throws Exception {
        return io.github.chatcallbackrouter.observe.Scrape.of(this).value("chat_outbox_depth");
    }

    /**
     * Waits until the router has done everything it was handed: no exchange in flight, no queue holding one, the
     * outbox empty, for a few polls in a row (an exchange passing from a queue to its consumer is in neither for a
     * moment). The positive signal a test waits on before it asserts that something did not happen.
     */
    public void awaitIdle() {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).during(Duration.ofMillis(100))
                .until(() -> main.getCamelContext().getEndpoints().stream().filter(SedaEndpoint.class::isInstance)
                        .allMatch(queue -> ((SedaEndpoint) queue).getCurrentQueueSize() == 0)
                        && main.getCamelContext().getInflightRepository().size() == 0
                        && outboxDepth() == 0);
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        main.stop();
    }
}
