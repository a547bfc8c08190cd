package io.github.chatcallbackrouter.kafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.Timing;
import io.github.chatcallbackrouter.observe.Scrape;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka mode when the brokers go away: Chat never sends a callback again, so an alarm is not refused for it. It is
 * kept in this instance's journal and answered OK within Chat's 2 seconds, health says why the instance is DOWN,
 * and once the brokers are back the alarms are published from the journal and delivered, the storm folded as usual.
 * The broker is the test's own, so stopping it disturbs no other test.
 */
@Timing
class KafkaBrokersDownIT {

    private static final String HOOK = "/services/T1/B1/down";

    @TempDir
    Path dataDir;
    @TempDir
    Path brokerDir;

    @Test
    void alarmsAreKeptInTheJournalWhileTheBrokersAreDownAndDeliveredOnceTheyAreBack() throws Exception {
        KafkaBroker broker = KafkaBroker.startPrivate(brokerDir);
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));
        try {
            broker.createTopic("down-alerts", 1);
            broker.createTopic("down-delivered", 1);
            try (RunningRouter router = startOn(broker, slack)) {
                assertThat(router.post("Alert.RequestOverLimit", alarm(300)).statusCode())
                        .as("while the broker is up").isEqualTo(200);
                await().atMost(Duration.ofSeconds(30)).until(() -> slack.getAllServeEvents().size() == 1);

                broker.close();
                List<Long> took = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    long started = System.nanoTime();
                    HttpResponse<String> answer = router.post("Alert.RequestOverLimit", alarm(400 + i));
                    took.add((System.nanoTime() - started) / 1_000_000);
                    assertThat(answer.statusCode()).as("alarm " + i).isEqualTo(200);
                    assertThat(answer.body()).contains("\"ErrorCode\":0");
                }
                System.out.println("KafkaBrokersDownIT: answers while the brokers were down (ms): " + took);
                assertThat(took).allMatch(ms -> ms < 2000);
                assertThat(health(router)).contains("\"status\":\"DOWN\"")
                        .contains("the Kafka brokers have not taken alarms");
                assertThat(Scrape.of(router).value("chat_journal_depth")).isEqualTo(50);
                assertThat(router.post("State.StateChange", Samples.body("State.StateChange")).statusCode())
                        .isEqualTo(200);

                broker.restart();
                // published from the journal, consumed, folded into the storm the first alarm opened: one summary
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(AlertFiles.lines(dataDir)).hasSize(51);
                    assertThat(posts(slack)).hasSize(2).anyMatch(body -> body.contains("50 more alarms"));
                });
                assertThat(Scrape.of(router).value("chat_journal_depth")).isZero();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(health(router)).contains("\"status\":\"UP\""));
            }
        } finally {
            slack.stop();
            broker.close();
        }
    }

    private static List<String> posts(WireMockServer slack) {
        return slack.getAllServeEvents().stream().map(event -> event.getRequest().getBodyAsString()).toList();
    }

    /** An over-limit alarm of one API: a storm of one key. */
    private static String alarm(int requests) {
        return Samples.body("Alert.RequestOverLimit").replaceFirst("\"Request\":\\s*\\d+", "\"Request\":" + requests);
    }

    private static String health(RunningRouter router) throws Exception {
        return router.send(HttpRequest.newBuilder(URI.create(router.managementUrl("/observe/health"))).build()).body();
    }

    private RunningRouter startOn(KafkaBroker broker, WireMockServer slack) throws Exception {
        return RunningRouter.start(dataDir, slack.baseUrl() + HOOK, Map.of(
                "router.mode", "kafka",
                "kafka.bootstrap-servers", broker.bootstrapServers(),
                "kafka.topic.alerts", "down-alerts",
                "kafka.topic.delivered", "down-delivered",
                "kafka.group-id", "down",
                "kafka.publish-timeout-ms", "1000",
                "router.recover-interval", "1s",
                "alerts.group-window", "12s",
                "alerts.group-check-interval", "200",
                "slack.min-interval-ms", "10"));
    }
}
