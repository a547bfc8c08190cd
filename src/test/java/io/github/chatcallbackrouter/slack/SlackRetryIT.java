package io.github.chatcallbackrouter.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.chatcallbackrouter.Timing;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.RunningRouter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fake Slack that scripts its answers: every failure class ends delivered or dead-lettered, never dropped, with
 * the waits Slack asked for.
 */
@Timing
class SlackRetryIT {

    private static final String HOOK = "/services/T1/B1/retry";

    @RegisterExtension
    final RunningRouter router = RunningRouter.withSlack(HOOK).settings(Map.of(
            "alerts.group-window", "0",
            "slack.min-interval-ms", "300",
            "slack.retry.initial-delay", "200ms",
            "slack.retry.max-delay", "400ms",
            "slack.retry.give-up-after", "3s",
            "camel.component.http.response-timeout", "500",
            "camel.component.http.so-timeout", "500"));

    /** Slack answers these in turn, then 200 ok for good. */
    private void slackAnswers(ResponseDefinitionBuilder... answers) {
        String state = Scenario.STARTED;
        for (int i = 0; i < answers.length; i++) {
            router.slack().stubFor(post(HOOK).inScenario("slack").whenScenarioStateIs(state)
                    .willReturn(answers[i]).willSetStateTo("answer-" + (i + 1)));
            state = "answer-" + (i + 1);
        }
        router.slack().stubFor(post(HOOK).inScenario("slack").whenScenarioStateIs(state)
                .willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    private void postAlarm(String command, int request) throws Exception {
        String body = "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"ServiceName\":\"openim\",\"Command\":\""
                + command + "\",\"Request\":" + request + ",\"Limit\":200}";
        assertThat(router.post("Alert.RequestOverLimit", body).statusCode()).isEqualTo(200);
    }

    private List<Long> postTimes(int count) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                router.slack().verify(count, postRequestedFor(urlEqualTo(HOOK))));
        return router.slack().getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .map(request -> request.getLoggedDate().getTime())
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    private List<JsonNode> deadLetters() throws IOException {
        Path dir = router.dataDir().resolve("dead-letter");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).map(f -> {
                try {
                    return Json.MAPPER.readTree(f.toFile());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private void outboxEmpties() {
        await().atMost(Duration.ofSeconds(10)).until(() -> router.outboxDepth() == 0);
    }

    @Test
    void rateLimitedWaitsExactlyTheRetryAfterSlackGave() throws Exception {
        slackAnswers(aResponse().withStatus(429).withHeader("Retry-After", "2")
                .withBody("{\"ok\":false,\"error\":\"rate_limited\"}"));

        postAlarm("sendmsg", 300);

        List<Long> times = postTimes(2);
        assertThat(times.get(1) - times.get(0)).as("ms between the 429 and the retry").isBetween(2000L, 2600L);
        outboxEmpties();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void serverErrorsAreRetriedWithGrowingBackoffUntilDelivered() throws Exception {
        slackAnswers(aResponse().withStatus(500).withBody("rollup_error"),
                aResponse().withStatus(503).withBody("unavailable"));

        postAlarm("sendmsg", 300);

        List<Long> times = postTimes(3);
        // backoff 200 ms then 400 ms, each times a jitter factor in [0.5, 1.5)
        assertThat(times.get(1) - times.get(0)).isBetween(100L, 600L);
        assertThat(times.get(2) - times.get(1)).isBetween(200L, 900L);
        outboxEmpties();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aSlowAnswerPastTheTimeoutIsRetried() throws Exception {
        slackAnswers(aResponse().withStatus(200).withBody("ok").withFixedDelay(1500));

        postAlarm("sendmsg", 300);

        postTimes(2);
        outboxEmpties();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aPermanentRefusalIsDeadLetteredAtOnceWithSlacksReason() throws Exception {
        slackAnswers(aResponse().withStatus(404).withBody("no_service"));

        postAlarm("batchsendmsg", 510);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(deadLetters()).hasSize(1));
        // out of the outbox: nothing will post it again
        outboxEmpties();
        router.slack().verify(1, postRequestedFor(urlEqualTo(HOOK)));
        JsonNode letter = deadLetters().get(0);
        assertThat(letter.get("destination").asText()).isEqualTo("slack");
        assertThat(letter.get("reason").asText()).isEqualTo("slack refused it: HTTP 404 no_service");
        assertThat(letter.get("attempts")).hasSize(1);
        assertThat(letter.at("/attempts/0/answer").asText()).isEqualTo("HTTP 404 no_service");
        assertThat(letter.at("/attempts/0/at").asText()).matches("\\d{4}-.*Z");
        assertThat(letter.at("/delivery/url").asText()).as("the webhook's secret path is not kept")
                .isEqualTo(router.slack().baseUrl() + "/services/T1/…");
        assertThat(Json.MAPPER.readTree(letter.at("/delivery/body").asText()).at("/blocks/0/text/text").asText())
                .contains("Sends one-to-one messages to multiple users");
        outboxEmpties();
    }

    @Test
    void aSlackStillFailingAfterGiveUpAfterIsDeadLetteredWithEveryAttempt() throws Exception {
        router.slack().stubFor(post(HOOK).willReturn(aResponse().withStatus(500).withBody("rollup_error")));

        postAlarm("sendmsg", 300);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deadLetters()).hasSize(1));
        JsonNode letter = deadLetters().get(0);
        int posts = router.slack().getAllServeEvents().size();
        assertThat(posts).isGreaterThanOrEqualTo(4);
        assertThat(letter.get("attempts")).hasSize(posts);
        assertThat(letter.get("reason").asText()).startsWith("still failing after").endsWith("HTTP 500 rollup_error");
    }

    @Test
    void postsToOneWebhookGoOneAtATime() throws Exception {
        // Slack takes 150 ms to answer: a post that went before its predecessor's answer would arrive sooner
        router.slack().stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok").withFixedDelay(150)));

        for (int i = 0; i < 4; i++) {
            postAlarm("api" + i, 300);
        }

        // how far apart they are sent (slack.min-interval-ms) is DeliveryEngineTest's, on a clock it controls; what
        // arrives can only show that each waited for the answer before it, which no load changes
        List<Long> times = postTimes(4);
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).as("gap before post " + i).isGreaterThanOrEqualTo(150L);
        }
    }
}
