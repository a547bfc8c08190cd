package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.LogCapture;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.observe.Scrape;
import io.github.chatcallbackrouter.support.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every documented command word, signed as Chat signs it, is answered OK at once over real HTTP and counted under
 * its own word; the batched Push.* callbacks too, a hundred events at once; a misspelt word is said and counted.
 */
class CallbackAcceptanceIT {

    private static final String OK = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";

    @RegisterExtension
    static final RunningRouter router = RunningRouter.withoutSlack();

    static Stream<String> commandWords() {
        return CommandCatalog.get().all().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("commandWords")
    void answersEveryCommandWordOkWellUnderTwoSeconds(String command) throws Exception {
        String sample = Samples.body(command);
        String body = sample != null ? sample : "{\"CallbackCommand\":\"" + command + "\",\"EventTime\":1670574414123}";
        long started = System.nanoTime();
        HttpResponse<String> response = router.post(command, body);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(OK);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(millis).as("answer time in ms").isLessThan(500);
        assertThat(Scrape.of(router).value("chat_callbacks_total{app=\"" + RunningRouter.SDKAPPID + "\",command=\""
                + command + "\",outcome=\"accepted\"}")).as("counted under its own word").isGreaterThanOrEqualTo(1);
    }

    @Test
    void catalogHoldsEveryDocumentedWordWithItsKindAndShape() {
        assertThat(CommandCatalog.get().all()).hasSize(59).containsKeys("Push.OfflinePush", "Push.AllMemberPush",
                "Group.CallbackAfterModifyMsg");
        assertThat(CommandCatalog.get().all().values().stream().filter(c -> c.kind().equals("before")))
                .hasSize(11);
        assertThat(CommandCatalog.get().all().values().stream().filter(c -> c.shape() == CommandCatalog.Shape.ALARM))
                .extracting(CommandCatalog.Command::word)
                .containsExactlyInAnyOrder("Alert.RequestOverLimit", "Group.CallbackOnDailyGroupQuotaAlarm");
        assertThat(CommandCatalog.get().isBatched("Push.OfflinePush")).isTrue();
    }

    @Test
    void aBatchOfAHundredPushEventsIsAnsweredOkAtOnceAndItsEventsCounted() throws Exception {
        JsonNode sample = Json.MAPPER.readTree(Samples.body("Push.OfflinePush"));
        ArrayNode events = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 100; i++) {
            events.add(((ObjectNode) sample.path("Events").get(i % 2).deepCopy()).put("MsgSeq", 50000 + i));
        }
        String batch = Json.MAPPER.createObjectNode().set("Events", events).toString();
        double before = Scrape.of(router).value("chat_batched_events_total{app=\"" + RunningRouter.SDKAPPID
                + "\",command=\"Push.OfflinePush\"}");
        long started = System.nanoTime();

        HttpResponse<String> response = router.post("Push.OfflinePush", batch);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
        assertThat(response.body()).isEqualTo(OK);
        assertThat(Scrape.of(router).value("chat_batched_events_total{app=\"" + RunningRouter.SDKAPPID
                + "\",command=\"Push.OfflinePush\"}") - before).isEqualTo(100);
    }

    @Test
    void aMisspeltWordIsAnsweredSaidOnceAndCountedAsANearMissNotAsAnAlarm() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            for (int i = 0; i < 2; i++) {
                assertThat(router.post("alert.requestoverlimit", Samples.body("Alert.RequestOverLimit")
                        .replace("Alert.RequestOverLimit", "alert.requestoverlimit")).body()).isEqualTo(OK);
            }

            assertThat(logs.lines()).filteredOn(line -> line.contains("alert.requestoverlimit")).singleElement()
                    .asString().contains("did you mean Alert.RequestOverLimit?");
        }
        assertThat(Scrape.of(router).value("chat_callbacks_total{app=\"" + RunningRouter.SDKAPPID
                + "\",command=\"near_miss\",outcome=\"accepted\"}")).isEqualTo(2);
        assertThat(AlertFiles.lines(router.dataDir())).noneMatch(line -> line.contains("alert.requestoverlimit"));
    }

    @Test
    void anAlarmKeepsItsQueryContextAndOneWithoutItsFieldsIsAnUnknownApiNotAnEmptyOne() throws Exception {
        router.post("Alert.RequestOverLimit", "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"serviceName\":"
                + "\"openim\",\"command\":\"camel_case\",\"request\":300,\"limit\":200}");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(AlertFiles.lines(router.dataDir()))
                .anyMatch(line -> line.contains("camel_case")));
        JsonNode alert = Json.MAPPER.readTree(AlertFiles.lines(router.dataDir()).stream()
                .filter(line -> line.contains("camel_case")).findFirst().orElseThrow());
        assertThat(alert.path("title").asText()).contains("an unknown API").doesNotContain(": /");
        assertThat(alert.path("api").isNull()).isTrue();
        assertThat(alert.path("payload").path("serviceName").asText()).as("the body, whole").isEqualTo("openim");
        assertThat(alert.path("origin").path("app").asText()).isEqualTo(RunningRouter.SDKAPPID);
        assertThat(alert.path("origin").path("platform").asText()).isEqualTo("iOS");
        assertThat(alert.path("origin").path("clientIp").asText()).isEqualTo("10.0.0.7");
        assertThat(alert.path("origin").path("requestTime").asText()).matches("\\d{10}");
    }

    @Test
    void acceptsABodyWithoutCallbackCommandTakingItFromTheUrl() throws Exception {
        HttpResponse<String> response = router.post("Group.CallbackAfterRecallMsg", "{\"GroupId\":\"@TGS#1\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(OK);
    }

    @Test
    void readsTheBodyAsJsonWhateverContentTypeChatSends() throws Exception {
        for (String contentType : new String[] {"application/x-www-form-urlencoded", "text/plain", "application/json"}) {
            HttpResponse<String> response = router.send(HttpRequest.newBuilder(
                            URI.create(router.signedUrl("State.StateChange")))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(Samples.body("State.StateChange")))
                    .build());

            assertThat(response.statusCode()).as(contentType).isEqualTo(200);
            assertThat(response.body()).as(contentType).isEqualTo(OK);
        }
    }

    @Test
    void acceptsACommandWordTencentAddsLaterAsAnAfterCallback() throws Exception {
        assertThat(CommandCatalog.get().kindOf("Group.CallbackAfterSomethingNew")).isEqualTo("after");
        assertThat(CommandCatalog.get().kindOf("Group.CallbackBeforeSomethingNew")).isEqualTo("before");

        HttpResponse<String> response = router.post("Group.CallbackAfterSomethingNew", "{}");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void acceptsEverySdkAppIdConfigured() throws Exception {
        String url = router.signedUrl("State.StateChange").replace("SdkAppid=1400000001", "SdkAppid=1400000002");
        HttpResponse<String> response = router.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(Samples.body("State.StateChange"))).build());

        assertThat(response.statusCode()).isEqualTo(200);
    }
}
