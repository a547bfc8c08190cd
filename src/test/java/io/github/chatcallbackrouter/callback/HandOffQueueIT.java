package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.ShippedRoutes;
import io.github.chatcallbackrouter.support.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the queue between the answer and the rules is full, callbacks a rule would route are refused with 503 (the
 * router is overloaded), but an alarm, once journaled, is acknowledged and routed from the journal when there is
 * room; a callback no rule routes is not queued at all, so it is answered OK whatever the queue holds.
 */
class HandOffQueueIT {

    @TempDir
    Path workDir;

    @Test
    void aFullQueueRefusesWith503ButKeepsTheAlarm() throws Exception {
        Path routes = ShippedRoutes.copyInto(workDir);
        // state changes go to a file: they are handed off to the rules; member joins go nowhere
        ShippedRoutes.edit(routes.resolve("rules.camel.yaml"), "            otherwise:\n", """
                              - simple: "${header.ChatCommand} == 'State.StateChange'"
                                steps:
                                  - marshal:
                                      json:
                                        library: Jackson
                                  - to: "file:{{router.data-dir}}/states"
                            otherwise:
                """);
        Path dataDir = Files.createDirectories(workDir.resolve("data"));
        try (RunningRouter router = RunningRouter.start(dataDir, "", Map.of(
                "camel.main.routes-include-pattern", ShippedRoutes.includePattern(routes),
                "camel.component.seda.queue-size", "2",
                "router.recover-interval", "1s"))) {
            router.context().getRouteController().suspendRoute("hand-off-queue");

            List<HttpResponse<String>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(router.post("State.StateChange", Samples.body("State.StateChange")));
            }
            HttpResponse<String> alarm = router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit"));
            HttpResponse<String> routedNowhere = router.post("Group.CallbackAfterNewMemberJoin",
                    Samples.body("Group.CallbackAfterNewMemberJoin"));

            HttpResponse<String> refused = answers.get(3);
            assertThat(refused.statusCode()).isEqualTo(503);
            JsonNode fail = Json.MAPPER.readTree(refused.body());
            assertThat(fail.get("ErrorCode").asInt()).isEqualTo(50301);
            assertThat(fail.get("ErrorInfo").asText()).contains("hand-off queue is full");
            assertThat(alarm.statusCode()).isEqualTo(200);
            assertThat(Files.list(dataDir.resolve("journal")).count()).as("the alarm waits in the journal").isOne();
            assertThat(routedNowhere.statusCode()).as("no rule routes it: not queued").isEqualTo(200);

            router.context().getRouteController().resumeRoute("hand-off-queue");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(AlertFiles.lines(dataDir)).hasSize(1);
                assertThat(Files.list(dataDir.resolve("states")).count()).as("the two queued state changes").isEqualTo(2);
                assertThat(Files.list(dataDir.resolve("journal")).count()).isZero();
            });
        }
    }
}
