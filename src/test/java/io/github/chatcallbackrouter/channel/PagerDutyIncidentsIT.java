package io.github.chatcallbackrouter.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.FakeReceivers;
import io.github.chatcallbackrouter.Load;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Timing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storm on one API is one PagerDuty incident: one trigger, its repeats folded, and a resolve with the same dedup
 * key once the group has been quiet for alerts.resolve-after; the next alarm after that opens a new incident.
 */
@Timing
class PagerDutyIncidentsIT {

    @TempDir
    Path dataDir;

    private static String alarm(String command, int request) {
        return "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"ServiceName\":\"openim\",\"Command\":\"" + command
                + "\",\"Request\":" + request + ",\"Limit\":200}";
    }

    @Test
    void anIncidentIsTriggeredOncePerGroupAndResolvedWhenItsAlarmsStop() throws Exception {
        try (FakeReceivers pagerDuty = new FakeReceivers();
             RunningRouter router = RunningRouter.start(dataDir, "", Map.of(
                     "alerts.channels", "pager",
                     "channels.pager.type", "pagerduty",
                     "channels.pager.url", pagerDuty.url("/v2/enqueue"),
                     "channels.pager.secret", FakeReceivers.ROUTING_KEY,
                     "alerts.group-window", "2s",
                     "alerts.resolve-after", "3s",
                     "alerts.group-check-interval", "200"))) {
            // the same API's alarm five times, 300 ms apart: one incident, resolved 3 s after the last
            AtomicLong lastSent = new AtomicLong();
            Load.paced(5, Duration.ofMillis(300), 1, i -> {
                lastSent.set(System.currentTimeMillis());
                return CompletableFuture.completedFuture(
                        router.post("Alert.RequestOverLimit", alarm("sendmsg", 300 + i)));
            });
            router.post("Alert.RequestOverLimit", alarm("batchsendmsg", 400));

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(actions(pagerDuty))
                    .containsExactlyInAnyOrder("trigger sendmsg", "trigger batchsendmsg", "resolve sendmsg",
                            "resolve batchsendmsg"));
            List<FakeReceivers.Got> events = pagerDuty.of("pagerduty");
            assertThat(events).allMatch(FakeReceivers.Got::accepted);
            String incident = events.stream()
                    .filter(e -> e.body().contains("sendmsg\"") && e.body().contains("trigger"))
                    .findFirst().orElseThrow().json().path("dedup_key").asText();
            long resolved = events.stream().filter(e -> e.json().path("dedup_key").asText().equals(incident)
                    && e.json().path("event_action").asText().equals("resolve")).findFirst().orElseThrow().at();
            assertThat(resolved - lastSent.get()).as("resolved after the last alarm and 3 s of quiet")
                    .isGreaterThanOrEqualTo(3000);

            // after the resolve, the same API's next alarm is a new incident
            router.post("Alert.RequestOverLimit", alarm("sendmsg", 500));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(actions(pagerDuty))
                    .filteredOn(action -> action.equals("trigger sendmsg")).hasSize(2));
        }
    }

    /** "trigger sendmsg", "resolve sendmsg": each event, by the dedup key's alarm. */
    private static List<String> actions(FakeReceivers pagerDuty) {
        List<FakeReceivers.Got> events = pagerDuty.of("pagerduty");
        return events.stream().map(event -> {
            String key = event.json().path("dedup_key").asText();
            String api = events.stream().filter(e -> e.json().path("dedup_key").asText().equals(key)
                    && e.json().has("payload")).findFirst()
                    .map(e -> e.json().at("/payload/component").asText().replace("openim/", "")).orElse("?");
            return event.json().path("event_action").asText() + " " + api;
        }).toList();
    }
}
