package io.github.chatcallbackrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped route files in a plain CamelContext, as another Camel 4.18 runtime would load them: no camel-main,
 * no {@link App}, none of its server or metrics set-up. A signed alarm is answered OK, posted to Slack as Block Kit
 * and written to the alert file.
 */
class EmbeddedRoutesIT {

    private static final String TOKEN = "embedded-token";
    private static final String WEBHOOK_PATH = "/services/T0/B0/embedded";

    @TempDir
    Path dataDir;

    @Test
    void theShippedRoutesRunInAPlainCamelContext() throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        slack.stubFor(post(WEBHOOK_PATH).willReturn(aResponse().withStatus(200).withBody("ok")));
        int port = AvailablePortFinder.getNextAvailable();
        DefaultCamelContext context = new DefaultCamelContext();
        try {
            // what the host runtime provides: settings and an HTTP server for platform-http
            context.getPropertiesComponent().setLocation("file:application.properties");
            Properties settings = new Properties();
            settings.setProperty("tencent.sdkappid", "1400000005");
            settings.setProperty("tencent.callback-token", TOKEN);
            settings.setProperty("slack.webhook-url", slack.baseUrl() + WEBHOOK_PATH);
            settings.setProperty("router.data-dir", dataDir.toString());
            context.getPropertiesComponent().setOverrideProperties(settings);
            VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
            server.setBindHost("127.0.0.1");
            server.setBindPort(port);
            context.addService(new VertxPlatformHttpServer(server));
            // the shared route files and the folder of the mode (local: the journal and the outbox on this disk)
            for (String files : List.of("file:routes/*.camel.yaml", "file:routes/local/*.camel.yaml")) {
                PluginHelper.getRoutesLoader(context).loadRoutes(
                        PluginHelper.getPackageScanResourceResolver(context).findResources(files));
            }
            context.start();

            String time = String.valueOf(Instant.now().getEpochSecond());
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=1400000005"
                            + "&CallbackCommand=Alert.RequestOverLimit&contenttype=json&Sign="
                            + CallbackSignature.sign(TOKEN, time) + "&RequestTime=" + time))
                    .POST(HttpRequest.BodyPublishers.ofString(Samples.body("Alert.RequestOverLimit"))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> slack.verify(1,
                    postRequestedFor(urlEqualTo(WEBHOOK_PATH)).withRequestBody(containing("\"blocks\""))));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(AlertFiles.lines(dataDir)).hasSize(1));
        } finally {
            context.stop();
            slack.stop();
        }
    }
}
