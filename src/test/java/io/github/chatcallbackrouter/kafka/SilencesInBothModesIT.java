package io.github.chatcallbackrouter.kafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.RouterProcess;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same alarms through both modes give the same deliveries, silences included: the Kafka consumer classifies on
 * the same step as local mode, so an alarm silenced on both instances reaches no Slack channel, only the alert
 * file of the instance that consumed it, with the silence's id; an alarm no silence matches is posted.
 */
class SilencesInBothModesIT {

    private static final String HOOK = "/services/T1/B1/silenced";

    static KafkaBroker broker;

    @TempDir
    Path dataA;
    @TempDir
    Path dataB;
    @TempDir
    Path logs;

    @BeforeAll
    static void broker() throws Exception {
        broker = KafkaBroker.get();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void inLocalModeASilencedAlarmReachesOnlyTheAlertFile() throws Exception {
        runs(Map.of(), List.of(dataA));
    }

    @Test
    void inKafkaModeAnAlarmSilencedOnBothInstancesReachesNoSlackChannel() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> kafka = KafkaBroker.routerSettings(broker, run);
        broker.createTopic(kafka.get("KAFKA_TOPIC_ALERTS"), 2);
        broker.createTopic(kafka.get("KAFKA_TOPIC_DELIVERED"), 1);
        runs(kafka, List.of(dataA, dataB));
    }

    private void runs(Map<String, String> mode, List<Path> dataDirs) throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));
        List<RouterProcess> routers = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try {
            for (Path dataDir : dataDirs) {
                RouterProcess added = RouterProcess.start(Map.of("ROUTER_DATA_DIR", dataDir.toString()),
                        logs.resolve("silence-" + System.nanoTime() + ".log"), "silence", "add", "--api",
                        "openim/batchsendmsg", "--for", "1h", "--reason", "sale campaign");
                assertThat(added.exitCode(Duration.ofSeconds(60))).as(added.output()).isZero();
                int port = AvailablePortFinder.getNextAvailable();
                Map<String, String> settings = new HashMap<>(mode);
                settings.putAll(Map.of("CAMEL_SERVER_PORT", String.valueOf(port),
                        "ROUTER_DATA_DIR", dataDir.toString(), "TENCENT_SDKAPPID", "1400000000",
                        "SLACK_WEBHOOK_URL", slack.baseUrl() + HOOK, "SLACK_MIN_INTERVAL_MS", "10",
                        "ALERTS_GROUP_WINDOW", "0", "ROUTER_RELOAD_ROUTES", "false"));
                RouterProcess router = RouterProcess.start(settings, logs.resolve("router-" + port + ".log"));
                routers.add(router);
                ports.add(port);
                router.firstAnswer(RouterProcess.post(url(port, "State.StateChange"), "{}"), Duration.ofSeconds(60));
            }

            // the silenced API to every instance, then an API no silence matches: its post is the sign all went by
            for (int port : ports) {
                assertThat(send(http, port, alarm("batchsendmsg", 510))).isEqualTo(200);
            }
            assertThat(send(http, ports.get(0), alarm("sendmsg", 300))).isEqualTo(200);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<String> lines = new ArrayList<>();
                for (Path dataDir : dataDirs) {
                    lines.addAll(AlertFiles.lines(dataDir));
                }
                assertThat(lines).filteredOn(line -> line.contains("openim/batchsendmsg")).hasSize(ports.size())
                        .allMatch(line -> line.contains("\"silencedBy\":\"s-"));
                assertThat(posts(slack)).anyMatch(body -> body.contains("openim/sendmsg"));
            });
            assertThat(posts(slack)).as("Slack got only the alarm no silence matches").hasSize(1)
                    .noneMatch(body -> body.contains("batchsendmsg"));
        } finally {
            for (RouterProcess router : routers) {
                router.close();
            }
            slack.stop();
        }
    }

    private static List<String> posts(WireMockServer slack) {
        return slack.getAllServeEvents().stream().map(event -> event.getRequest().getBodyAsString()).toList();
    }

    private static String url(int port) {
        return url(port, "Alert.RequestOverLimit");
    }

    private static String url(int port, String command) {
        return "http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=1400000000&CallbackCommand=" + command;
    }

    private static int send(HttpClient http, int port, String body) throws Exception {
        return http.send(RouterProcess.post(url(port), body), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String alarm(String command, int requests) {
        return "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"ServiceName\":\"openim\",\"Command\":\"" + command
                + "\",\"Request\":" + requests + ",\"Limit\":200}";
    }
}
