package io.github.chatcallbackrouter.command;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.RunningRouter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code replay} beside a running router: the dead letters go back to the outbox and the router posts them as it
 * posts everything, paced (no burst at Slack) and retried.
 */
class ReplayIT {

    private static final String HOOK = "/services/T1/B1/replay";

    @RegisterExtension
    final RunningRouter router = RunningRouter.withSlack(HOOK)
            .settings(Map.of("alerts.group-window", "0", "slack.min-interval-ms", "300",
                    "router.recover-interval", "1s"));

    @Test
    void deadLettersGoBackToTheOutboxAndThePacedDeliveryPostsThem() throws Exception {
        WireMockServer slack = router.slack();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(404).withBody("channel_not_found")));
        Path dataDir = router.dataDir();

        for (String api : List.of("sendmsg", "batchsendmsg", "importmsg")) {
            router.post("Alert.RequestOverLimit", "{\"CallbackCommand\":\"Alert.RequestOverLimit\","
                    + "\"ServiceName\":\"openim\",\"Command\":\"" + api + "\",\"Request\":510,\"Limit\":200}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> entries("dead-letter") == 3);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertThat(new Replay(dataDir, new PrintStream(printed, true)).run(true)).isEqualTo(3);
        assertThat(printed.toString()).contains("would put back").contains("channel_not_found");
        assertThat(entries("dead-letter")).isEqualTo(3);

        slack.resetAll();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));
        assertThat(new Replay(dataDir, new PrintStream(printed, true)).run(false)).isEqualTo(3);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                slack.verify(3, postRequestedFor(urlEqualTo(HOOK))));
        List<Long> times = slack.getAllServeEvents().stream()
                .map(event -> event.getRequest().getLoggedDate().getTime()).sorted().toList();
        assertThat(times.get(2) - times.get(0)).as("paced: 300 ms between posts").isGreaterThanOrEqualTo(500L);
        await().atMost(Duration.ofSeconds(5)).until(() -> entries("outbox") == 0 && router.outboxDepth() == 0);
        assertThat(entries("dead-letter")).isZero();
        assertThat(new Replay(dataDir, new PrintStream(printed, true)).run(false)).isZero();
    }

    private long entries(String directory) throws Exception {
        try (Stream<Path> files = Files.list(router.dataDir().resolve(directory))) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }
}
