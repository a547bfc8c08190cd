package io.github.chatcallbackrouter.kafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.RouterProcess;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two router processes in kafka mode behind one (imagined) load balancer, on a real broker: every acknowledged
 * alarm reaches Slack although one instance is killed with SIGKILL mid-stream, a storm posted to both instances
 * is folded into one post and one summary, and duplicates stay within the README's bound.
 */
class KafkaScaleOutIT {

    private static final String HOOK = "/services/T1/B1/kafka";
    private static final int PARTITIONS = 4;
    private static final int ALARMS = 30;
    private static final String OK = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";

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
    void alarmsAreDeliveredAcrossInstancesThroughAKillAndAStormIsFoldedOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> kafka = KafkaBroker.routerSettings(broker, run);
        broker.createTopic(kafka.get("KAFKA_TOPIC_ALERTS"), PARTITIONS);
        broker.createTopic(kafka.get("KAFKA_TOPIC_DELIVERED"), 1);
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));
        int portA = AvailablePortFinder.getNextAvailable();
        int portB = AvailablePortFinder.getNextAvailable();
        RouterProcess a = RouterProcess.start(settings(kafka, slack, portA, dataA), logs.resolve("a.log"));
        RouterProcess b = RouterProcess.start(settings(kafka, slack, portB, dataB), logs.resolve("b.log"));
        HttpClient http = HttpClient.newHttpClient();
        try {
            assertThat(a.firstAnswer(RouterProcess.post(url(portA, "State.StateChange"), "{}"),
                    Duration.ofSeconds(60)).body()).isEqualTo(OK);
            assertThat(b.firstAnswer(RouterProcess.post(url(portB, "State.StateChange"), "{}"),
                    Duration.ofSeconds(60)).body()).isEqualTo(OK);
            await().atMost(Duration.ofSeconds(60)).until(() -> broker.assignedMembers(kafka.get("KAFKA_GROUP_ID")) == 2);

            // a storm of one key, sent to both instances: one owner folds it into one post and one summary
            for (int i = 0; i < 10; i++) {
                int port = i % 2 == 0 ? portA : portB;
                assertThat(send(http, port, alarm("storm_api", 300 + i))).isEqualTo(OK);
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(posts(slack, "storm_api")).hasSize(2).anyMatch(p -> p.contains("9 more alarms")));

            // alarms to both, then instance A dies with SIGKILL: what A acknowledged is on the topic, B delivers it
            List<String> apis = IntStream.range(0, ALARMS).mapToObj(i -> String.format("failover_%02d_api", i)).toList();
            for (int i = 0; i < ALARMS; i++) {
                if (i == ALARMS / 2) {
                    a.kill();
                }
                int port = i < ALARMS / 2 && i % 2 == 0 ? portA : portB;
                assertThat(send(http, port, alarm(apis.get(i), 400))).as("ack of " + apis.get(i)).isEqualTo(OK);
            }
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                for (String api : apis) {
                    assertThat(posts(slack, api)).as("posts for " + api).isNotEmpty();
                }
            });
            // an alarm is posted before its offset is committed: with every offset committed, every post is made
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    broker.lag(kafka.get("KAFKA_GROUP_ID"), kafka.get("KAFKA_TOPIC_ALERTS")) == 0);
            int duplicates = apis.stream().mapToInt(api -> posts(slack, api).size() - 1).sum();
            System.out.println("KafkaScaleOutIT: " + ALARMS + " alarms through a SIGKILL, " + duplicates + " duplicate posts");
            // the README's bound: at most one record in flight per partition the killed instance owned
            assertThat(duplicates).as("duplicate posts").isBetween(0, PARTITIONS);
            assertThat(posts(slack, "storm_api")).as("the storm, still folded").hasSize(2);
        } finally {
            a.kill();
            b.close();
            slack.stop();
        }
    }

    private static Map<String, String> settings(Map<String, String> kafka, WireMockServer slack, int port,
            Path dataDir) {
        Map<String, String> settings = new HashMap<>(kafka);
        settings.put("CAMEL_SERVER_PORT", String.valueOf(port));
        settings.put("ROUTER_DATA_DIR", dataDir.toString());
        settings.put("TENCENT_SDKAPPID", "1400000000");
        settings.put("SLACK_WEBHOOK_URL", slack.baseUrl() + HOOK);
        settings.put("SLACK_MIN_INTERVAL_MS", "10");
        settings.put("ALERTS_GROUP_WINDOW", "4s");
        // the broker's least: B takes a killed A's partitions after 6 s without its heartbeat, not the shipped 10
        settings.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        settings.put("ALERTS_GROUP_CHECK_INTERVAL", "200");
        settings.put("ROUTER_RELOAD_ROUTES", "false");
        return settings;
    }

    private static String url(int port, String command) {
        return "http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=1400000000&CallbackCommand=" + command;
    }

    private static String send(HttpClient http, int port, String body) throws Exception {
        return http.send(RouterProcess.post(url(port, "Alert.RequestOverLimit"), body),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> posts(WireMockServer slack, String api) {
        return slack.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString())
                .filter(body -> body.contains(api)).toList();
    }

    private static String alarm(String command, int requests) {
        return "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"ServiceName\":\"openim\",\"Command\":\"" + command
                + "\",\"Request\":" + requests + ",\"Limit\":200}";
    }
}
