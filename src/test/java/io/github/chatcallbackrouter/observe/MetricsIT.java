package io.github.chatcallbackrouter.observe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /observe/metrics answers an operator's questions: what came in and how it was answered, alerts, Slack, backlog. */
class MetricsIT {

    private static final String WEBHOOK_PATH = "/services/T000/B000/metrics";

    @RegisterExtension
    static final RunningRouter router = RunningRouter.withSlack(WEBHOOK_PATH)
            .settings(Map.of("alerts.group-window", "0", "slack.min-interval-ms", "1"));

    @Test
    void callbacksAreCountedByCommandWordAndOutcomeWithTheirAckTime() throws Exception {
        Scrape before = Scrape.of(router);
        router.post("State.StateChange", Samples.body("State.StateChange"));
        router.post("State.StateChange", Samples.body("State.StateChange"));
        router.post("Group.CallbackAfterNewMemberJoin", Samples.body("Group.CallbackAfterNewMemberJoin"));
        router.post("Vendor.SomethingNew", "{}");
        router.send(HttpRequest.newBuilder(URI.create(router.url("SdkAppid=" + RunningRouter.SDKAPPID
                + "&CallbackCommand=State.StateChange&Sign=00&RequestTime=1"))).POST(
                HttpRequest.BodyPublishers.ofString("{}")).build());

        Scrape after = Scrape.of(router);
        assertThat(increase(before, after, "chat_callbacks_total{app=\"1400000001\",command=\"State.StateChange\",outcome=\"accepted\"}"))
                .isEqualTo(2);
        assertThat(increase(before, after,
                "chat_callbacks_total{app=\"1400000001\",command=\"Group.CallbackAfterNewMemberJoin\",outcome=\"accepted\"}")).isEqualTo(1);
        // a word outside the catalog is accepted but labelled "other", so a client cannot mint label values
        assertThat(increase(before, after, "chat_callbacks_total{app=\"1400000001\",command=\"other\",outcome=\"accepted\"}"))
                .isEqualTo(1);
        assertThat(after.text()).doesNotContain("Vendor.SomethingNew");
        assertThat(increase(before, after,
                "chat_callbacks_total{app=\"1400000001\",command=\"State.StateChange\",outcome=\"bad_signature\"}")).isEqualTo(1);
        assertThat(increase(before, after, "chat_callback_ack_seconds_count{outcome=\"accepted\"}")).isEqualTo(4);
        assertThat(increase(before, after, "chat_callback_ack_seconds_count{outcome=\"refused\"}")).isEqualTo(1);
        assertThat(after.value("chat_callback_ack_seconds_bucket{outcome=\"accepted\",le=\"2.0\"}"))
                .isEqualTo(after.value("chat_callback_ack_seconds_count{outcome=\"accepted\"}"));
    }

    @Test
    void alertsAreCountedBySeverityAndSlackPostsByOutcome() throws Exception {
        router.slack().stubFor(post(WEBHOOK_PATH).inScenario("busy").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("rate_limited"))
                .willSetStateTo("free"));
        router.slack().stubFor(post(WEBHOOK_PATH).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        Scrape before = Scrape.of(router);

        router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Scrape after = Scrape.of(router);
            assertThat(increase(before, after, "chat_alerts_total{severity=\"critical\",type=\"api-over-limit\"}"))
                    .isEqualTo(1);
            assertThat(increase(before, after, "chat_deliveries_total{destination=\"slack\",outcome=\"rate_limited\"}")).isEqualTo(1);
            assertThat(increase(before, after, "chat_deliveries_total{destination=\"slack\",outcome=\"delivered\"}")).isEqualTo(1);
            assertThat(after.value("chat_outbox_depth")).isZero();
            assertThat(after.value("chat_journal_depth")).isZero();
        });
    }

    @Test
    void aDeadLetterIsCountedAndWaitsInTheGauge() throws Exception {
        // Slack refuses this one alarm for good
        router.slack().stubFor(post(WEBHOOK_PATH).withRequestBody(containing("Daily group-creation quota"))
                .atPriority(1).willReturn(aResponse().withStatus(404).withBody("no_service")));
        Scrape before = Scrape.of(router);

        router.post("Group.CallbackOnDailyGroupQuotaAlarm", Samples.body("Group.CallbackOnDailyGroupQuotaAlarm"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Scrape after = Scrape.of(router);
            assertThat(increase(before, after, "chat_deliveries_total{destination=\"slack\",outcome=\"dead_lettered\"}")).isEqualTo(1);
            assertThat(after.value("chat_dead_letters")).isEqualTo(before.value("chat_dead_letters") + 1);
        });
    }

    private static double increase(Scrape before, Scrape after, String series) {
        return after.value(series) - before.value(series);
    }
}
