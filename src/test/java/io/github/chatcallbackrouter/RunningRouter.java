package io.github.chatcallbackrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.runtime.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The router as a user runs it (routes/ and application.properties of this checkout), started in this JVM on free
 * loopback ports, and a real HTTP client to call it.
 *
 * <p>Also the fixture of the tests that run it: registered with {@code @RegisterExtension}, it makes a data
 * directory of its own and, when asked, a fake Slack (a real HTTP server answering {@code ok} at its webhook's
 * path), starts the router before and stops it and removes both after: around the whole class on a static field,
 * around each test on an instance field.
 * <pre>{@code
 * @RegisterExtension
 * final RunningRouter router = RunningRouter.withSlack("/services/T1/B1/x").settings(Map.of("a", "b"));
 * }</pre>
 */
public final class RunningRouter implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    public static final String SDKAPPID = "1400000001";
    public static final String TOKEN = "test-token-that-must-never-be-logged";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String slackPath;
    private final Map<String, String> settings = new HashMap<>();
    private boolean classScoped;
    private WireMockServer slack;
    private Path dataDir;
    private Main main;
    private int port;
    private int managementPort;

    private RunningRouter(String slackPath) {
        this.slackPath = slackPath;
    }

    /** Starts the router with signing on, the given data directory and Slack webhook ("" = Slack off). */
    public static RunningRouter start(Path dataDir, String slackWebhookUrl, Map<String, String> extra)
            throws Exception {
        RunningRouter router = new RunningRouter(null);
        router.launch(dataDir, slackWebhookUrl, extra);
        return router;
    }

    /** A fixture: the router with Slack off. */
    public static RunningRouter withoutSlack() {
        return new RunningRouter(null);
    }

    /** A fixture: the router posting to a fake Slack's webhook at {@code path}, which answers 200 ok. */
    public static RunningRouter withSlack(String path) {
        return new RunningRouter(path);
    }

    /** The fixture's settings of the router (application.properties names), beside its own. */
    public RunningRouter settings(Map<String, String> more) {
        settings.putAll(more);
        return this;
    }

    private void launch(Path dataDir, String slackWebhookUrl, Map<String, String> extra) throws Exception {
        port = AvailablePortFinder.getNextAvailable();
        Map<String, String> all = new HashMap<>();
        all.put("camel.server.host", "127.0.0.1");
        all.put("camel.server.port", String.valueOf(port));
        managementPort = AvailablePortFinder.getNextAvailable();
        all.put("camel.management.host", "127.0.0.1");
        all.put("camel.management.port", String.valueOf(managementPort));
        all.put("tencent.sdkappid", SDKAPPID + ",1400000002");
        all.put("tencent.callback-token", TOKEN);
        all.put("slack.webhook-url", slackWebhookUrl);
        all.put("router.data-dir", dataDir.toString());
        all.putAll(extra);
        main = Router.create(all);
        try {
            main.start();
        } catch (Exception e) {
            main.stop(); // releases what the failed start took: the ports, the data directory's lock
            throw e;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        classScoped = true;
        setUp();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        tearDown();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!classScoped) {
            setUp();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!classScoped) {
            tearDown();
        }
    }

    private void setUp() throws Exception {
        dataDir = Files.createTempDirectory("router-data-");
        if (slackPath != null) {
            slack = new WireMockServer(options().dynamicPort());
            slack.start();
            slack.stubFor(WireMock.post(slackPath).willReturn(aResponse().withStatus(200).withBody("ok")));
        }
        launch(dataDir, slack == null ? "" : slack.baseUrl() + slackPath, settings);
    }

    private void tearDown() {
        close();
        if (slack != null) {
            slack.stop();
        }
        if (dataDir != null) {
            FileUtil.removeDir(dataDir.toFile());
        }
    }

    /** The fixture's fake Slack. */
    public WireMockServer slack() {
        return slack;
    }

    /** The fixture's data directory. */
    public Path dataDir() {
        return dataDir;
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
        if (main != null) {
            main.stop();
            main = null;
        }
    }
}
