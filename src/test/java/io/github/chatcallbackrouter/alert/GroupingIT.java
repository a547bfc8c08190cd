package io.github.chatcallbackrouter.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Timing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A storm of one alarm is folded by the one rule: the first at once, one summary at the end of the window. */
@Timing
class GroupingIT {

    private static final String HOOK = "/services/T1/B1/storm";

    @TempDir
    Path dataDir;

    private static String alarm(int request) {
        return "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"ServiceName\":\"openim\",\"Command\":\"batchsendmsg\","
                + "\"Request\":" + request + ",\"Limit\":200}";
    }

    @Test
    void twoHundredIdenticalAlarmsGiveOnePostAndOneSummary() throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));
        ExecutorService chat = Executors.newFixedThreadPool(8);
        try (RunningRouter router = RunningRouter.start(dataDir, slack.baseUrl() + HOOK, Map.of(
                "alerts.group-window", "5s", "alerts.group-check-interval", "200", "slack.min-interval-ms", "100"))) {
            // as Chat sends a storm, several at a time: all 200 well inside the window, however busy the machine
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String body = alarm(300 + i);
                answers.add(chat.submit(() -> router.post("Alert.RequestOverLimit", body).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
            // a different key is a group of its own
            router.post("Alert.RequestOverLimit", alarm(250).replace("batchsendmsg", "sendmsg"));

            await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    slack.verify(2, postRequestedFor(urlEqualTo(HOOK))));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    slack.verify(3, postRequestedFor(urlEqualTo(HOOK))));
            // every alarm classified and the outbox empty: nothing more is on its way to Slack
            await().atMost(Duration.ofSeconds(5)).until(() -> AlertFiles.lines(dataDir).size() == 201
                    && router.outboxDepth() == 0);
            slack.verify(3, postRequestedFor(urlEqualTo(HOOK)));

            List<String> bodies = slack.getAllServeEvents().stream()
                    .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                    .map(ServeEvent::getRequest).map(r -> r.getBodyAsString()).toList();
            // the alarm that opened the window (callbacks are classified in parallel, so not always the 1st posted)
            assertThat(bodies.get(0)).contains("Over its rate limit").contains("openim/batchsendmsg");
            assertThat(bodies.get(2)).contains("199 more alarms").contains("peak 499 QPS")
                    .contains("openim/batchsendmsg").contains("*First*").contains("*Last*");
            // the file keeps every alarm (201, above): it is the record, Slack is the pager
        } finally {
            chat.shutdownNow();
            slack.stop();
        }
    }

    @Test
    void theCountSurvivesARestart() throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));
        Map<String, String> settings = Map.of("alerts.group-window", "4s", "alerts.group-check-interval", "200");
        try {
            try (RunningRouter router = RunningRouter.start(dataDir, slack.baseUrl() + HOOK, settings)) {
                router.post("Alert.RequestOverLimit", alarm(300));
                router.post("Alert.RequestOverLimit", alarm(400));
                await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                        slack.verify(1, postRequestedFor(urlEqualTo(HOOK))));
                await().atMost(Duration.ofSeconds(2)).until(() -> AlertFiles.lines(dataDir).size() == 2);
            }
            try (RunningRouter router = RunningRouter.start(dataDir, slack.baseUrl() + HOOK, settings)) {
                router.post("Alert.RequestOverLimit", alarm(350));

                await().atMost(Duration.ofSeconds(8)).untilAsserted(() ->
                        slack.verify(2, postRequestedFor(urlEqualTo(HOOK))));
                assertThat(slack.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString()))
                        .anyMatch(body -> body.contains("2 more alarms") && body.contains("peak 400 QPS"));
            }
        } finally {
            slack.stop();
        }
    }
}
