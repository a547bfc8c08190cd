package io.github.chatcallbackrouter.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.FakeReceivers;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.observe.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storm of different alarms to one WeCom robot, which takes 20 messages a minute and answers 45009 past that:
 * the shipped pacing sends 20 at once and holds the rest, so the robot never has to throttle (nor ban) it.
 */
class RobotPacingIT {

    @TempDir
    Path dataDir;

    @Test
    void aHundredAlarmsToOneWeComRobotNeverExceedTwentyAMinute() throws Exception {
        try (FakeReceivers weCom = new FakeReceivers();
             RunningRouter router = RunningRouter.start(dataDir, "", Map.of(
                     "alerts.channels", "robot",
                     "channels.robot.type", "wecom",
                     "channels.robot.url", weCom.url("/cgi-bin/webhook/send?key=busy")))) {
            for (int i = 0; i < 100; i++) {
                router.post("Alert.RequestOverLimit", "{\"CallbackCommand\":\"Alert.RequestOverLimit\","
                        + "\"ServiceName\":\"openim\",\"Command\":\"api" + i + "\",\"Request\":300,\"Limit\":200}");
            }

            // twenty posted, and the engine's own schedule puts the next one the better part of a minute away
            await().atMost(Duration.ofSeconds(10)).until(() -> weCom.of("wecom").size() >= 20 && Scrape.of(router)
                    .value("chat_destination_next_post_seconds{destination=\"wecom:robot\"}") > 50);
            assertThat(weCom.of("wecom")).as("the first minute's twenty, and no more").hasSize(20)
                    .allMatch(FakeReceivers.Got::accepted);
            assertThat(router.outboxDepth()).isEqualTo(80);
        }
    }
}
