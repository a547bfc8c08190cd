package io.github.chatcallbackrouter.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.FakeReceivers;
import io.github.chatcallbackrouter.LogCapture;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.observe.Scrape;
import io.github.chatcallbackrouter.support.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router against fake WeCom, DingTalk, Feishu, PagerDuty, Teams and webhook receivers (FakeReceivers: real
 * HTTP servers that check shape, size, signature and rate as the real ones do, and answer their real codes): every
 * alarm reaches each in its own format and is accepted; a refusal is a dead letter with the receiver's code; a
 * throttle is waited out; a signature made hours after the alarm still holds; a 5 000-character API name fits.
 */
class ReceiversIT {

    @TempDir
    static Path dataDir;
    @TempDir
    static Path templates;
    static FakeReceivers receivers;
    static RunningRouter router;
    static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        receivers = new FakeReceivers();
        logs = new LogCapture();
        Path template = Files.writeString(templates.resolve("gateway.json.mustache"),
                "{\"title\": \"{{headline}}\", \"kind\": \"{{kind}}\", \"alert\": {{{json}}}}");
        Map<String, String> settings = new HashMap<>();
        settings.put("alerts.channels", "wecom,ding,feishu,pager,teams,hook");
        settings.put("channels.wecom.type", "wecom");
        settings.put("channels.wecom.url", receivers.url("/cgi-bin/webhook/send?key=good"));
        settings.put("channels.ding.type", "dingtalk");
        settings.put("channels.ding.url", receivers.url("/robot/send?access_token=t0ken"));
        settings.put("channels.ding.secret", FakeReceivers.DINGTALK_SECRET);
        settings.put("channels.ding.mention", "13800000000");
        settings.put("channels.feishu.type", "feishu");
        settings.put("channels.feishu.url", receivers.url("/open-apis/bot/v2/hook/fs-1"));
        settings.put("channels.feishu.secret", FakeReceivers.FEISHU_SECRET);
        settings.put("channels.pager.type", "pagerduty");
        settings.put("channels.pager.url", receivers.url("/v2/enqueue"));
        settings.put("channels.pager.secret", FakeReceivers.ROUTING_KEY);
        settings.put("channels.teams.type", "teams");
        settings.put("channels.teams.url", receivers.url("/workflows/wf-1/triggers/manual/paths/invoke"));
        settings.put("channels.hook.type", "webhook");
        settings.put("channels.hook.url", receivers.url("/hook"));
        settings.put("channels.hook.secret", FakeReceivers.AUTHORIZATION);
        settings.put("channels.hook.template", template.toString());
        settings.put("channels.removed.type", "wecom");
        settings.put("channels.removed.url", receivers.url("/cgi-bin/webhook/send?key=removed"));
        settings.put("alerts.group-window", "0");
        settings.put("alerts.retry.initial-delay", "200ms");
        settings.put("alerts.retry.max-delay", "500ms");
        settings.put("router.recover-interval", "1s");
        router = RunningRouter.start(dataDir, "", settings);
    }

    @AfterAll
    static void stop() {
        router.close();
        receivers.close();
        logs.close();
    }

    private static String alarm(String api) {
        String[] parts = api.split("/", 2);
        return "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"ServiceName\":" + Json.MAPPER.valueToTree(parts[0])
                + ",\"Command\":" + Json.MAPPER.valueToTree(parts[1]) + ",\"Request\":510,\"Limit\":200}";
    }

    private static List<FakeReceivers.Got> gotFor(String kind, String needle) {
        return receivers.of(kind).stream().filter(got -> got.body().contains(needle)).toList();
    }

    @Test
    void anAlarmReachesEveryReceiverInItsOwnShapeSignedAndTaken() throws Exception {
        assertThat(router.post("Alert.RequestOverLimit", alarm("openim/every_receiver")).statusCode()).isEqualTo(200);

        for (String kind : List.of("wecom", "dingtalk", "feishu", "pagerduty", "teams", "webhook")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gotFor(kind, "every_receiver"))
                    .as(kind).singleElement().matches(FakeReceivers.Got::accepted, "accepted: " + kind));
        }
        JsonNode ding = gotFor("dingtalk", "every_receiver").get(0).json();
        assertThat(ding.at("/at/atMobiles/0").asText()).as("a critical alarm pages").isEqualTo("13800000000");
        JsonNode pager = gotFor("pagerduty", "every_receiver").get(0).json();
        assertThat(pager.at("/payload/custom_details/api").asText()).isEqualTo("openim/every_receiver");
        JsonNode hook = gotFor("webhook", "every_receiver").get(0).json();
        assertThat(hook.path("kind").asText()).isEqualTo("alert");

        // the alert file says which rule sent it where; each attempt is a log line with the receiver's answer
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(AlertFiles.lines(dataDir))
                .anyMatch(line -> line.contains("every_receiver") && line.contains("\"rule\":\"alarms\"")
                        && line.contains("\"channels\":[\"wecom\",\"ding\",\"feishu\",\"pager\",\"teams\",\"hook\"]")));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(logs.lines()).anyMatch(line ->
                line.contains("to dingtalk:ding") && line.contains("[rule alarms]")
                        && line.contains("delivered, errcode 0 ok")));
        assertThat(logs.lines()).noneMatch(line -> line.contains(FakeReceivers.DINGTALK_SECRET)
                || line.contains(FakeReceivers.ROUTING_KEY) || line.contains("t0ken"));
    }

    @Test
    void aRemovedRobotsRefusalIsADeadLetterWithItsCodeAndHealthNamesTheChannel() throws Exception {
        // as a rule's `to: channel:removed` sends them
        for (int i = 0; i < 3; i++) {
            router.context().createProducerTemplate().sendBody("channel:removed",
                    SampleAlert.at(Instant.now().plusSeconds(i)));
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Scrape.of(router).value(
                "chat_deliveries_total{destination=\"wecom:removed\",outcome=\"dead_lettered\"}")).isEqualTo(3));
        List<Path> deadLetters;
        try (var files = Files.list(dataDir.resolve("dead-letter"))) {
            deadLetters = files.filter(file -> file.toString().contains("wecom-removed")).toList();
        }
        assertThat(deadLetters).hasSize(3);
        assertThat(Files.readString(deadLetters.get(0))).contains("wecom:removed refused it: errcode 93000 invalid"
                + " webhook url");
        assertThat(logs.lines()).anyMatch(line -> line.startsWith("ERROR") && line.contains("to wecom:removed")
                && line.contains("dead-lettered") && line.contains("errcode 93000"));
        String health = router.send(HttpRequest.newBuilder(URI.create(router.managementUrl("/observe/health")))
                .build()).body();
        assertThat(health).contains("wecom:removed refused the last 3 deliveries").doesNotContain("key=removed");
        assertThat(receivers.to("/cgi-bin/webhook/send").stream().filter(got -> "removed".equals(got.query()
                .get("key")))).as("refused for good: not tried again").hasSize(3);
    }

    @Test
    void aThrottledMessageWaitsWhatTheReceiverSaysAndIsThenDelivered() throws Exception {
        receivers.answerNext("/v2/enqueue", 1, new FakeReceivers.Answer(429,
                "{\"status\":\"throttle event\"}", Map.of("Retry-After", "1"), false));
        receivers.answerNext("/workflows/wf-1/triggers/manual/paths/invoke", 1, new FakeReceivers.Answer(429,
                "{\"error\":{\"code\":\"WorkflowTriggerIsThrottled\"}}", Map.of("Retry-After", "1"), false));

        router.post("Alert.RequestOverLimit", alarm("openim/throttled"));

        for (String kind : List.of("pagerduty", "teams")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gotFor(kind, "throttled"))
                    .as(kind).hasSize(2).last().matches(FakeReceivers.Got::accepted));
        }
        List<FakeReceivers.Got> pager = gotFor("pagerduty", "throttled");
        assertThat(pager.get(1).at() - pager.get(0).at()).as("Retry-After: 1 waited").isGreaterThanOrEqualTo(900);
    }

    @Test
    void aSignatureMadeHoursAfterTheAlarmIsStillValid() throws Exception {
        // deliveries kept two hours ago, unsigned, as the outbox keeps them: a restart, a long outage
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        Channels channels = router.context().getRegistry().findSingleByType(Channels.class);
        for (String name : List.of("ding", "feishu")) {
            Delivery kept = channels.deliveryOf(SampleAlert.at(twoHoursAgo), name);
            Delivery old = new Delivery("late-" + name, kept.destination(), kept.url(), null, false, kept.body(),
                    kept.contentType(), false, "late", twoHoursAgo.toString(), true);
            Json.MAPPER.writeValue(dataDir.resolve("outbox").resolve(old.id() + ".json").toFile(), old);
        }

        for (String kind : List.of("dingtalk", "feishu")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gotFor(kind, "test-"
                    + twoHoursAgo.toEpochMilli())).as(kind).singleElement().matches(FakeReceivers.Got::accepted));
        }
    }

    @Test
    void aFiveThousandCharacterApiNameFitsEveryReceiversLimit() throws Exception {
        String api = "openim/" + "超长".repeat(2500);
        router.post("Alert.RequestOverLimit", alarm(api));

        for (String kind : List.of("wecom", "dingtalk", "feishu", "pagerduty", "teams", "webhook")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gotFor(kind, "超长超长"))
                    .as(kind).isNotEmpty().allMatch(FakeReceivers.Got::accepted, "accepted: " + kind));
        }
        assertThat(gotFor("wecom", "超长超长").get(0).json().at("/markdown/content").asText()).contains("… (cut)");
    }
}
