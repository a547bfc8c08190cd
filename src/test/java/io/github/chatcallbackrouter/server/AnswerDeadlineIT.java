package io.github.chatcallbackrouter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.ShippedRoutes;
import io.github.chatcallbackrouter.Timing;
import io.github.chatcallbackrouter.observe.Scrape;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever a step of the callback route waits for (here a decision rule that takes 3 s), Chat hears an answer
 * before its 2 seconds are up: OK, what Chat does itself when an app does not answer; counted as answered at the
 * deadline.
 */
@Timing
class AnswerDeadlineIT {

    @TempDir
    Path workDir;

    @Test
    void aRouteThatDoesNotAnswerInTimeIsAnsweredOkAtTheDeadline() throws Exception {
        Path routes = ShippedRoutes.copyInto(workDir);
        ShippedRoutes.edit(routes.resolve("decide.camel.yaml"), "            when:\n", String.join("\n",
                "            when:",
                "              - simple: \"${header.ChatCommand} == 'C2C.CallbackBeforeSendMsg'\"",
                "                steps:",
                "                  - delay:",
                "                      constant: 3000",
                ""));
        try (RunningRouter router = RunningRouter.start(workDir.resolve("data"), "", Map.of(
                "camel.main.routes-include-pattern", ShippedRoutes.includePattern(routes)))) {
            // the test's own HTTP client loads on its first request: not the router's time
            assertThat(router.post("State.StateChange", "{}").statusCode()).isEqualTo(200);
            long sent = System.nanoTime();
            HttpResponse<String> answer = router.post("C2C.CallbackBeforeSendMsg", "{\"CallbackCommand\":"
                    + "\"C2C.CallbackBeforeSendMsg\",\"From_Account\":\"a\",\"To_Account\":\"b\",\"MsgBody\":[]}");
            Duration took = Duration.ofNanos(System.nanoTime() - sent);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}");
            assertThat(took).isBetween(Duration.ofMillis(1800), Duration.ofMillis(2000));
            assertThat(Scrape.of(router).value("chat_callbacks_total{app=\"1400000001\",command=\"C2C.CallbackBeforeSendMsg\","
                    + "outcome=\"answered_at_deadline\"}")).isEqualTo(1);
            // other callbacks meanwhile are answered as usual
            assertThat(router.post("State.StateChange", "{}").statusCode()).isEqualTo(200);
        }
    }
}
