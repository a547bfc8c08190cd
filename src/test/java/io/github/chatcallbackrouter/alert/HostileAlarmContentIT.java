package io.github.chatcallbackrouter.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a callback says cannot decide a file name or the size of a Slack post: an API name of any length and any
 * characters is an alarm like any other, delivered once and cleared from the journal.
 */
class HostileAlarmContentIT {

    private static final String HOOK = "/services/T1/B1/hostile";

    @RegisterExtension
    final RunningRouter router = RunningRouter.withSlack(HOOK).settings(Map.of("slack.min-interval-ms", "50"));

    private static String alarm(String serviceName, String command) throws IOException {
        return Json.MAPPER.createObjectNode().put("CallbackCommand", "Alert.RequestOverLimit")
                .put("ServiceName", serviceName).put("Command", command).put("Request", 510).put("Limit", 200)
                .toString();
    }

    @Test
    void aLongApiNameIsDeliveredCutToSlacksLimitsAndLeavesNothingBehind() throws Exception {
        for (String serviceName : List.of("s".repeat(300), "\uD83D\uDD34".repeat(200_000))) {
            assertThat(router.post("Alert.RequestOverLimit", alarm(serviceName, "c".repeat(250))).statusCode())
                    .isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            router.slack().verify(2, postRequestedFor(urlEqualTo(HOOK)));
            assertThat(entries("journal")).isEmpty();
            assertThat(router.outboxDepth()).isZero();
        });
        for (ServeEvent post : router.slack().getAllServeEvents()) {
            String body = post.getRequest().getBodyAsString();
            JsonNode message = Json.MAPPER.readTree(body);
            assertThat(body.length()).isLessThan(13_000);
            assertThat(message.get("text").asText()).hasSizeLessThanOrEqualTo(3000);
            assertThat(message.at("/blocks/0/text/text").asText()).hasSizeLessThanOrEqualTo(150);
        }
        assertThat(AlertFiles.lines(router.dataDir())).hasSize(2);
        assertThat(entries("groups")).hasSize(2).allMatch(name -> name.matches("group-[0-9a-f]{64}\\.json"));
    }

    @Test
    void apiNamesThatOnceSharedAGroupFileAreTwoGroups() throws Exception {
        router.post("Alert.RequestOverLimit", alarm("openim_x", "y"));
        router.post("Alert.RequestOverLimit", alarm("openim", "x_y"));

        // two first alarms of two groups: two posts, nothing folded
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                router.slack().verify(2, postRequestedFor(urlEqualTo(HOOK))));
        assertThat(entries("groups")).hasSize(2);
    }

    private List<String> entries(String directory) throws IOException {
        try (Stream<Path> files = Files.list(router.dataDir().resolve(directory))) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
