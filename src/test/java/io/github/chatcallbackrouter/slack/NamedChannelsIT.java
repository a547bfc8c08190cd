package io.github.chatcallbackrouter.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.ShippedRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels declared once in the settings and used by name in a rule: one alarm sent to two channels is one post
 * in each (each has its own delivery id), with the channel's mention, and the default channel gets none.
 */
class NamedChannelsIT {

    private static final String ONCALL = "/services/T1/B1/oncall";
    private static final String ALERTS = "/services/T1/B2/alerts";
    private static final String DEFAULT = "/services/T1/B3/default";

    @TempDir
    Path workDir;
    private final WireMockServer slack = new WireMockServer(options().dynamicPort());

    @BeforeEach
    void startSlack() {
        slack.start();
        slack.stubFor(post(ONCALL).willReturn(aResponse().withStatus(200).withBody("ok")));
        slack.stubFor(post(ALERTS).willReturn(aResponse().withStatus(200).withBody("ok")));
        slack.stubFor(post(DEFAULT).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @AfterEach
    void stopSlack() {
        slack.stop();
    }

    @Test
    void oneAlarmToTwoNamedChannelsIsOnePostInEach() throws Exception {
        Path routes = ShippedRoutes.copyInto(workDir);
        ShippedRoutes.edit(routes.resolve("rules.camel.yaml"), "                        - to: direct:alert-channels\n",
                "                        - to: slack-channel:oncall\n                        - to: slack-channel:alerts\n");
        Path dataDir = Files.createDirectories(workDir.resolve("data"));

        try (RunningRouter router = RunningRouter.start(dataDir, slack.baseUrl() + DEFAULT, Map.of(
                "camel.main.routes-include-pattern", ShippedRoutes.includePattern(routes),
                "slack.channels.oncall.webhook-url", slack.baseUrl() + ONCALL,
                "slack.channels.oncall.mention", "<!subteam^S0123ABCD>",
                "slack.channels.alerts.webhook-url", slack.baseUrl() + ALERTS,
                "slack.min-interval-ms", "1"))) {
            assertThat(router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit")).statusCode())
                    .isEqualTo(200);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                slack.verify(1, postRequestedFor(urlEqualTo(ONCALL)));
                slack.verify(1, postRequestedFor(urlEqualTo(ALERTS)));
            });
            router.awaitIdle();
            slack.verify(1, postRequestedFor(urlEqualTo(ONCALL)));
            slack.verify(1, postRequestedFor(urlEqualTo(ALERTS)));
            slack.verify(0, postRequestedFor(urlEqualTo(DEFAULT)));
            assertThat(body(ONCALL)).contains("<!subteam^S0123ABCD>").contains("openim/batchsendmsg");
            assertThat(body(ALERTS)).doesNotContain("subteam").contains("openim/batchsendmsg");
            assertThat(AlertFiles.lines(dataDir)).hasSize(1);
        }
    }

    private String body(String path) {
        return slack.getAllServeEvents().stream().filter(event -> event.getRequest().getUrl().equals(path))
                .findFirst().orElseThrow().getRequest().getBodyAsString();
    }
}
