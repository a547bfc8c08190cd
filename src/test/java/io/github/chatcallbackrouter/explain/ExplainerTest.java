package io.github.chatcallbackrouter.explain;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.ShippedRoutes;
import io.github.chatcallbackrouter.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each held-in sample through this checkout's routes with Slack and the app's backend configured: the right
 * decision, rule and places, with what each would receive, while the fake Slack, the fake backend and the data
 * directory see nothing.
 */
class ExplainerTest {

    @TempDir
    static Path dataDir;
    static WireMockServer slack;
    static WireMockServer backend;
    static Explainer explainer;

    @BeforeAll
    static void explainerWithSlackAndABackend() throws Exception {
        slack = new WireMockServer(options().dynamicPort());
        backend = new WireMockServer(options().dynamicPort());
        slack.start();
        backend.start();
        slack.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withBody("{\"ActionStatus\":\"OK\",\"ErrorCode\":1,\"ErrorInfo\":\"backend says no\"}")));
        explainer = new Explainer("file:application.properties",
                ShippedRoutes.includePattern(Path.of("routes").toAbsolutePath()), Map.of(
                        "slack.webhook-url", slack.baseUrl() + "/services/T0/B0/secret",
                        "upstream.url", backend.baseUrl() + "/callback",
                        "router.data-dir", dataDir.toString(),
                        "tencent.callback-token", "explain-token"), true);
    }

    @AfterAll
    static void stop() {
        explainer.close();
        slack.stop();
        backend.stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Alert.RequestOverLimit              | alarms    | critical | slack alert-file | -",
        "Group.CallbackOnDailyGroupQuotaAlarm | alarms    | warning  | slack alert-file | -",
        "C2C.CallbackBeforeSendMsg           | otherwise | -        | upstream         | otherwise",
        "Group.CallbackBeforeSendMsg         | otherwise | -        | upstream         | otherwise",
        "Group.CallbackBeforeCreateGroup     | otherwise | -        | upstream         | otherwise",
        "Group.CallbackAfterNewMemberJoin    | otherwise | -        | upstream         | -",
        "Group.CallbackSendMsgException      | otherwise | -        | upstream         | -",
        "State.StateChange                   | otherwise | -        | upstream         | -",
    })
    void eachSampleGetsItsRuleAndPlacesAndNothingIsSent(String command, String rule, String severity, String places,
                                                        String decision) throws Exception {
        Explanation explanation = explainer.explain(
                new Explainer.Callback(command, null, Samples.body(command), Map.of()));

        assertThat(explanation.status()).isEqualTo(200);
        assertThat(explanation.problems()).isEmpty();
        assertThat(rule.equals("alarms") ? explanation.rule().id() : explanation.rule().isOtherwise() ? "otherwise" : "")
                .isEqualTo(rule);
        assertThat(explanation.severity()).isEqualTo(severity.equals("-") ? null : severity);
        assertThat(explanation.places()).extracting(Place::label).containsExactly(places.split(" "));
        // each place shows what it would receive: the backend, the callback as Chat sent it
        assertThat(explanation.places()).filteredOn(place -> place.label().equals("upstream"))
                .allSatisfy(place -> assertThat(place.content()).contains("\"CallbackCommand\" : \"" + command));
        if (decision.equals("-")) {
            assertThat(explanation.decision()).isNull();
        } else {
            assertThat(explanation.decision().isOtherwise()).isTrue();
            // the backend is not asked: the answer shown is the fail policy's
            assertThat(explanation.upstream()).contains("allow");
            assertThat(explanation.answer()).isEqualTo("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}");
        }
        assertThat(explanation.delivers()).isTrue();
        assertThat(explanation.toText()).contains("Nothing was sent, written or journaled.").doesNotContain("secret");

        assertThat(slack.getAllServeEvents()).isEmpty();
        assertThat(backend.getAllServeEvents()).isEmpty();
        assertThat(filesIn(dataDir)).isEmpty();
    }

    @Test
    void theSlackPlaceShowsTheMessageAsTextAndJsonAndTheAlertFileItsLine() throws Exception {
        Explanation explanation = explainer.explain(new Explainer.Callback("Alert.RequestOverLimit", null,
                Samples.body("Alert.RequestOverLimit"), Map.of()));

        Place slackPlace = explanation.places().get(0);
        assertThat(slackPlace.to()).isEqualTo(slack.baseUrl() + "/services/T0/…");
        assertThat(slackPlace.off()).isFalse();
        assertThat(slackPlace.preview()).contains("Over its rate limit").contains("Observed: 510 QPS")
                .contains("Usage: 255%").doesNotContain("*").doesNotContain("<!date");
        assertThat(slackPlace.content()).contains("\"blocks\"");
        Place file = explanation.places().get(1);
        assertThat(file.to()).startsWith(dataDir.resolve("alerts").resolve("alerts-").toString()).endsWith(".jsonl");
        assertThat(file.content()).startsWith("{\"eventId\"").contains("\"severity\":\"critical\"");
    }

    @Test
    void eachChannelShowsTheExactBodyItsReceiverWouldGetWithItsSecretsMasked() throws Exception {
        try (Explainer channels = new Explainer("file:application.properties",
                ShippedRoutes.includePattern(Path.of("routes").toAbsolutePath()), Map.of(
                        "alerts.channels", "ops,pager,quiet",
                        "channels.ops.type", "dingtalk",
                        "channels.ops.url", "https://oapi.dingtalk.com/robot/send?access_token=t0k3n",
                        "channels.ops.secret", "SECsigning",
                        "channels.pager.type", "pagerduty",
                        "channels.pager.secret", "R0UT1NG",
                        "channels.quiet.type", "wecom",
                        "router.data-dir", dataDir.toString()), false)) {
            Explanation explanation = channels.explain(new Explainer.Callback("Alert.RequestOverLimit", null,
                    Samples.body("Alert.RequestOverLimit"), Map.of()));

            assertThat(explanation.places()).extracting(Place::label)
                    .containsExactly("dingtalk:ops", "pagerduty:pager", "wecom:quiet", "alert-file");
            Place ding = explanation.places().get(0);
            assertThat(ding.to()).isEqualTo("https://oapi.dingtalk.com/…");
            assertThat(ding.content()).contains("\"msgtype\" : \"markdown\"").contains("openim/batchsendmsg");
            Place pager = explanation.places().get(1);
            assertThat(pager.content()).contains("\"routing_key\" : \"(secret)\"").contains("\"event_action\" : \"trigger\"");
            assertThat(explanation.places().get(2).off()).as("a channel without a URL is shown, off").isTrue();
            assertThat(Json.MAPPER.writeValueAsString(explanation)).doesNotContain("t0k3n")
                    .doesNotContain("SECsigning").doesNotContain("R0UT1NG");
        }
    }

    @Test
    void aRefusedCallbackGetsItsFailAnswerAndGoesNowhere() throws Exception {
        Explanation explanation = explainer.explain(new Explainer.Callback("Alert.RequestOverLimit", null,
                "{not json", Map.of()));

        assertThat(explanation.status()).isEqualTo(400);
        assertThat(explanation.answer()).contains("\"ActionStatus\":\"FAIL\"");
        assertThat(explanation.rule()).isNull();
        assertThat(explanation.places()).isEmpty();
        assertThat(explanation.delivers()).isFalse();
    }

    private static List<Path> filesIn(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
