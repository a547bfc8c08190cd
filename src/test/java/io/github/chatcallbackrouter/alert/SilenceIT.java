package io.github.chatcallbackrouter.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.LogCapture;
import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.observe.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A silence added with the {@code silence} command to a running router: matching alarms are recorded in the alert
 * file with its id but not posted, through a restart; other alarms are posted; once it is expired, one summary
 * says what it hid and matching alarms are posted again.
 */
class SilenceIT {

    private static final String HOOK = "/services/T1/B1/pager";

    @TempDir
    Path dataDir;
    @TempDir
    Path logs;

    private static String alarm(String command, int request) {
        return "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"ServiceName\":\"openim\",\"Command\":\"" + command
                + "\",\"Request\":" + request + ",\"Limit\":200}";
    }

    @Test
    void silencedAlarmsAreRecordedNotPostedUntilTheSilenceEndsWithASummary() throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));
        Map<String, String> settings = Map.of("alerts.group-window", "0", "alerts.group-check-interval", "200",
                "slack.min-interval-ms", "1");
        try {
            String id;
            try (RunningRouter router = RunningRouter.start(dataDir, slack.baseUrl() + HOOK, settings)) {
                router.post("Alert.RequestOverLimit", alarm("batchsendmsg", 300));
                await().atMost(Duration.ofSeconds(5)).until(() -> posts(slack).size() == 1);

                Command added = silence("add", "--api", "openim/batchsendmsg", "--for", "1h",
                        "--reason", "sale campaign");
                assertThat(added.exitCode()).as(added.output()).isZero();
                Matcher silenceId = Pattern.compile("Silence (s-[0-9a-f]+) added").matcher(added.output());
                assertThat(silenceId.find()).as(added.output()).isTrue();
                id = silenceId.group(1);

                for (int request = 301; request <= 303; request++) {
                    assertThat(router.post("Alert.RequestOverLimit", alarm("batchsendmsg", request)).statusCode())
                            .isEqualTo(200);
                }
                router.post("Alert.RequestOverLimit", alarm("sendmsg", 250));

                await().atMost(Duration.ofSeconds(5)).until(() -> AlertFiles.lines(dataDir).size() == 5);
                assertThat(AlertFiles.lines(dataDir).stream().filter(line -> line.contains("\"silencedBy\":\"" + id + "\"")))
                        .hasSize(3).allMatch(line -> line.contains("openim/batchsendmsg"));
                await().atMost(Duration.ofSeconds(5)).until(() -> posts(slack).size() == 2);
                router.awaitIdle();
                assertThat(posts(slack)).hasSize(2);
                assertThat(posts(slack).get(1)).contains("openim/sendmsg");
                Scrape metrics = Scrape.of(router);
                assertThat(metrics.value("chat_alarms_silenced_total")).isEqualTo(3);
                assertThat(metrics.value("chat_silences_active")).isEqualTo(1);
            }

            try (RunningRouter router = RunningRouter.start(dataDir, slack.baseUrl() + HOOK, settings)) {
                router.post("Alert.RequestOverLimit", alarm("batchsendmsg", 510));
                await().atMost(Duration.ofSeconds(5)).until(() -> AlertFiles.lines(dataDir).size() == 6);
                assertThat(AlertFiles.lines(dataDir).get(5)).contains("\"silencedBy\":\"" + id + "\"");
                Command listed = silence("list");
                assertThat(listed.output()).contains(id).contains("active").contains("api openim/batchsendmsg")
                        .contains("sale campaign").containsPattern("\\s4\\s+api openim/batchsendmsg");

                assertThat(silence("expire", id).exitCode()).isZero();

                await().atMost(Duration.ofSeconds(5)).until(() -> posts(slack).size() == 3);
                assertThat(posts(slack).get(2)).contains("Silence " + id + " ended").contains("it hid 4 alarms")
                        .contains("sale campaign").contains("510 QPS");
                router.post("Alert.RequestOverLimit", alarm("batchsendmsg", 320));
                await().atMost(Duration.ofSeconds(5)).until(() -> posts(slack).size() == 4);
                assertThat(posts(slack).get(3)).contains("openim/batchsendmsg").doesNotContain("Silence");
                assertThat(AlertFiles.lines(dataDir).get(6)).doesNotContain("silencedBy");
                // two more checks of ended silences have run: neither posts the summary again
                NotifyBuilder checks = new NotifyBuilder(router.context()).fromRoute("silence-summaries")
                        .whenCompleted(2).create();
                assertThat(checks.matches(10, TimeUnit.SECONDS)).isTrue();
                // and what they would have handed to Slack has been sent
                router.awaitIdle();
                assertThat(posts(slack)).as("one summary, not one per check").hasSize(4);
            }
        } finally {
            slack.stop();
        }
    }

    @Test
    void aSilenceFileThatCannotBeUsedStopsNothingAndIsNamedOnce() throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));
        try (LogCapture logs = new LogCapture();
             RunningRouter router = RunningRouter.start(dataDir, slack.baseUrl() + HOOK, Map.of(
                     "alerts.group-window", "0", "slack.min-interval-ms", "1"))) {
            assertThat(silence("add", "--api", "openim/batchsendmsg", "--for", "1h", "--reason", "campaign")
                    .exitCode()).isZero();
            java.nio.file.Files.writeString(dataDir.resolve("silences/s-n.json"), "{\"id\":\"s-n\"}");

            for (int request = 301; request <= 303; request++) {
                assertThat(router.post("Alert.RequestOverLimit", alarm("batchsendmsg", request)).statusCode())
                        .isEqualTo(200);
                assertThat(router.post("Alert.RequestOverLimit", alarm("sendmsg", request)).statusCode())
                        .isEqualTo(200);
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(AlertFiles.lines(dataDir)).hasSize(6);
                assertThat(posts(slack)).hasSize(3).allMatch(body -> body.contains("openim/sendmsg"));
            });
            assertThat(AlertFiles.lines(dataDir)).filteredOn(line -> line.contains("silencedBy")).hasSize(3);
            assertThat(logs.lines()).filteredOn(line -> line.contains("Silence file")).singleElement()
                    .satisfies(line -> assertThat(line).contains("s-n.json").contains("it has no endsAt"));
            assertThat(silence("list").output()).contains("campaign").doesNotContain("Exception");
        } finally {
            slack.stop();
        }
    }

    private static List<String> posts(WireMockServer slack) {
        return slack.getAllServeEvents().stream()
                .sorted(Comparator.comparing(event -> event.getRequest().getLoggedDate()))
                .map(event -> event.getRequest().getBodyAsString()).toList();
    }

    private record Command(int exitCode, String output) {
    }

    private Command silence(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "silence";
        System.arraycopy(args, 0, command, 1, args.length);
        RouterProcess process = RouterProcess.start(Map.of("ROUTER_DATA_DIR", dataDir.toString()),
                logs.resolve("silence-" + System.nanoTime() + ".log"), command);
        return new Command(process.exitCode(Duration.ofSeconds(60)), process.output());
    }
}
