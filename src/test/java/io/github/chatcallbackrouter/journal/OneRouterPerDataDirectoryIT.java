package io.github.chatcallbackrouter.journal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.delivery.DeadLetter;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second router on busy ports exits at once instead of running as a zombie, and no two routers
 * ever share one data directory.
 */
class OneRouterPerDataDirectoryIT {

    @TempDir
    Path dataDir;
    @TempDir
    Path otherDataDir;
    @TempDir
    Path logs;

    @Test
    void aSecondRouterOnBusyPortsOrTheSameDataDirectoryExitsAtOnceSayingWhy() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        int managementPort = AvailablePortFinder.getNextAvailable();
        Map<String, String> first = Map.of("CAMEL_SERVER_PORT", String.valueOf(port),
                "CAMEL_MANAGEMENT_PORT", String.valueOf(managementPort), "ROUTER_DATA_DIR", dataDir.toString());
        try (RouterProcess running = RouterProcess.start(first, logs.resolve("first.log"))) {
            assertThat(running.firstAnswer(RouterProcess.post("http://127.0.0.1:" + port + "/tencent/callback"
                    + "?SdkAppid=1400000000&CallbackCommand=State.StateChange", Samples.body("State.StateChange")),
                    Duration.ofSeconds(30)).statusCode()).isEqualTo(200);

            try (RouterProcess busyCallbackPort = RouterProcess.start(Map.of(
                    "CAMEL_SERVER_PORT", String.valueOf(port), "ROUTER_DATA_DIR", otherDataDir.toString()),
                    logs.resolve("busy-callback-port.log"))) {
                assertThat(busyCallbackPort.exitCode(Duration.ofSeconds(20))).isEqualTo(1);
                assertThat(busyCallbackPort.output()).contains("The callback server cannot listen on 0.0.0.0:" + port)
                        .doesNotContain("is up");
            }
            try (RouterProcess busyManagementPort = RouterProcess.start(Map.of(
                    "CAMEL_SERVER_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()),
                    "CAMEL_MANAGEMENT_PORT", String.valueOf(managementPort),
                    "ROUTER_DATA_DIR", otherDataDir.toString()), logs.resolve("busy-management-port.log"))) {
                assertThat(busyManagementPort.exitCode(Duration.ofSeconds(20))).isEqualTo(1);
                assertThat(busyManagementPort.output()).contains("The management server cannot listen on")
                        .doesNotContain("is up");
            }
            try (RouterProcess sameDataDir = RouterProcess.start(Map.of(
                    "CAMEL_SERVER_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()),
                    "ROUTER_DATA_DIR", dataDir.toString()), logs.resolve("same-data-dir.log"))) {
                assertThat(sameDataDir.exitCode(Duration.ofSeconds(20))).isEqualTo(1);
                assertThat(sameDataDir.output()).contains(dataDir + " is in use by a router (pid " + running.pid())
                        .doesNotContain("is up");
            }
        }
    }

    @Test
    void twoReplaysAtOnceBesideTheRouterPostEachDeadLetterOnce() throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        try {
            slack.stubFor(post("/services/T1/B1/replay").willReturn(aResponse().withStatus(200).withBody("ok")));
            Path deadLetters = Files.createDirectories(dataDir.resolve("dead-letter"));
            for (int i = 0; i < 3; i++) {
                String id = "alarm-" + i + "-slack";
                Delivery delivery = new Delivery(id, "slack", slack.baseUrl() + "/services/T1/B1/replay", null, false,
                        "{\"text\":\"alarm " + i + "\"}", "application/json", false, "alarm " + i,
                        "2026-12-01T00:00:00Z", true);
                Json.MAPPER.writeValue(deadLetters.resolve(id + ".json").toFile(),
                        new DeadLetter(id, "slack", "Slack refused it: HTTP 404 channel_not_found", delivery, List.of()));
            }
            try (RunningRouter router = RunningRouter.start(dataDir, slack.baseUrl() + "/services/T1/B1/replay",
                    Map.of("router.recover-interval", "1s", "slack.min-interval-ms", "1"));
                 RouterProcess one = RouterProcess.start(Map.of("ROUTER_DATA_DIR", dataDir.toString()),
                         logs.resolve("replay-1.log"), "replay");
                 RouterProcess two = RouterProcess.start(Map.of("ROUTER_DATA_DIR", dataDir.toString()),
                         logs.resolve("replay-2.log"), "replay")) {
                assertThat(one.exitCode(Duration.ofSeconds(60))).as(one.output()).isZero();
                assertThat(two.exitCode(Duration.ofSeconds(60))).as(two.output()).isZero();

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        slack.verify(3, postRequestedFor(urlEqualTo("/services/T1/B1/replay"))));
                // once the replays' files are all taken (posted, or known as posted), nothing is left to post twice
                await().atMost(Duration.ofSeconds(10)).until(() -> waiting(dataDir.resolve("outbox")) == 0
                        && waiting(deadLetters) == 0);
                slack.verify(3, postRequestedFor(urlEqualTo("/services/T1/B1/replay")));
            }
        } finally {
            slack.stop();
        }
    }

    /** Deliveries written to a directory and not yet taken from it. */
    private static long waiting(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")).count();
        }
    }
}
