package io.github.chatcallbackrouter.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.LogCapture;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alarms reach a (fake, real-HTTP) Slack webhook as Block Kit within a second and land in the alert file. */
class AlertDeliveryIT {

    private static final String WEBHOOK_PATH = "/services/T000/B000/secret";

    // every alarm on its own here; folding storms is GroupingIT's subject
    @RegisterExtension
    static final RunningRouter router = RunningRouter.withSlack(WEBHOOK_PATH)
            .settings(Map.of("alerts.group-window", "0"));
    // capturing before the router starts: its start-up lines are checked too
    static final LogCapture logs = new LogCapture();

    @BeforeAll
    static void warmUp() throws Exception {
        // "within a second" is about a running router: the first post of a new JVM also loads the HTTP client
        router.post("Group.CallbackOnDailyGroupQuotaAlarm", Samples.body("Group.CallbackOnDailyGroupQuotaAlarm"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                router.slack().verify(1, postRequestedFor(urlEqualTo(WEBHOOK_PATH))));
        clearAlertFiles();
    }

    @AfterAll
    static void stopCapturing() {
        logs.close();
    }

    @BeforeEach
    void slackAnswersOk() {
        router.slack().resetAll();
        router.slack().stubFor(post(WEBHOOK_PATH).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @AfterEach
    void clearAlertFilesAfterEachTest() throws IOException {
        clearAlertFiles();
    }

    private static void clearAlertFiles() throws IOException {
        // every alarm posted is routed (journal empty) and dealt with by Slack (outbox empty)
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            try (Stream<Path> pending = Files.list(router.dataDir().resolve("journal"))) {
                return pending.noneMatch(file -> file.toString().endsWith(".json"));
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> router.outboxDepth() == 0);
        try (Stream<Path> files = Files.list(router.dataDir().resolve("alerts"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        } catch (java.nio.file.NoSuchFileException ignored) {
            // no alert was written
        }
    }

    @Test
    void overLimitAlarmReachesSlackAsBlockKitWithinASecond() throws Exception {
        assertThat(router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit")).statusCode())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                router.slack().verify(1, postRequestedFor(urlEqualTo(WEBHOOK_PATH))));
        router.slack().verify(postRequestedFor(urlEqualTo(WEBHOOK_PATH))
                .withHeader("Content-Type", equalToIgnoreCase("application/json; charset=utf-8"))
                .withRequestBody(equalToJson(Samples.expected("slack-over-limit-sample.json"))));
        // Slack gets the message and nothing of the router's headers
        assertThat(router.slack().getAllServeEvents().get(0).getRequest().getHeaders().keys())
                .noneMatch(name -> name.startsWith("Chat") || name.startsWith("Alert"));
    }

    @Test
    void overLimitAlarmLandsInTheDailyAlertFileAsOneJsonLine() throws Exception {
        router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit"));

        List<String> lines = await().atMost(Duration.ofSeconds(2)).until(() -> AlertFiles.lines(router.dataDir()),
                l -> l.size() == 1);
        Path file = Files.list(router.dataDir().resolve("alerts")).findFirst().orElseThrow();
        assertThat(file.getFileName().toString()).matches("alerts-\\d{4}-\\d{2}-\\d{2}\\.jsonl");
        JsonNode alert = Json.MAPPER.readTree(lines.get(0));
        assertThat(alert.get("type").asText()).isEqualTo("api-over-limit");
        assertThat(alert.get("api").asText()).isEqualTo("openim/batchsendmsg");
        assertThat(alert.get("apiName").asText()).isEqualTo("Sends one-to-one messages to multiple users");
        assertThat(alert.get("usagePercent").asDouble()).isEqualTo(255.0);
        assertThat(alert.get("severity").asText()).isEqualTo("critical");
        assertThat(alert.get("sdkAppId").asText()).isEqualTo(RunningRouter.SDKAPPID);
        assertThat(alert.at("/payload/Request").asInt()).isEqualTo(510);
    }

    @Test
    void onlyAlarmsReachSlackAndTheFile() throws Exception {
        for (String command : List.of("C2C.CallbackBeforeSendMsg", "State.StateChange",
                "Group.CallbackSendMsgException", "Group.CallbackAfterNewMemberJoin")) {
            assertThat(router.post(command, Samples.body(command)).statusCode()).isEqualTo(200);
        }
        router.post("Group.CallbackOnDailyGroupQuotaAlarm", Samples.body("Group.CallbackOnDailyGroupQuotaAlarm"));

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                router.slack().verify(1, postRequestedFor(urlEqualTo(WEBHOOK_PATH))));
        // every callback done: anything else that was going to Slack would have been posted
        router.awaitIdle();
        router.slack().verify(1, postRequestedFor(urlEqualTo(WEBHOOK_PATH)));
        assertThat(router.slack().getAllServeEvents().get(0).getRequest().getBodyAsString())
                .contains("Daily group-creation quota at 73.2%");
        assertThat(AlertFiles.lines(router.dataDir())).hasSize(1).allMatch(line -> line.contains("daily-group-quota"));
    }

    @Test
    void aRefusingSlackIsLoggedWithItsReasonAndTheFileStillGetsTheAlert() throws Exception {
        router.slack().stubFor(post(WEBHOOK_PATH).willReturn(aResponse().withStatus(404).withBody("no_service")));

        router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit"));

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(logs.lines())
                .anyMatch(line -> line.startsWith("ERROR Delivery") && line.contains("to slack (Over its rate limit")
                        && line.contains("dead-lettered: slack refused it: HTTP 404 no_service")));
        assertThat(logs.lines()).noneMatch(line -> line.contains("secret"));
        await().atMost(Duration.ofSeconds(2)).until(() -> AlertFiles.lines(router.dataDir()).size() == 1);
    }

    @Test
    void startUpSaysSlackIsOnWithoutItsSecret() {
        // what the start-up summary says of Slack (logged before this class's capture began)
        assertThat(router.context().getRegistry().lookupByNameAndType("channels",
                io.github.chatcallbackrouter.channel.Channels.class).describe())
                .containsExactly(
                        "channel slack (slack) is on: posts to " + router.slack().baseUrl() + "/services/T000/…",
                        "alarms go to slack and the alert file (alerts.channels = slack)");
    }
}
