package io.github.chatcallbackrouter.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.ShippedRoutes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alarm whose rules fail stays in the journal and is tried again on a timer, not only at the next start; while
 * it waits longer than the journal's limit, /observe/health is DOWN and the metric shows its age.
 */
class StuckAlarmIT {

    @TempDir
    Path workDir;

    @Test
    void aFailingRuleIsRetriedFromTheJournalAndHealthSaysSoMeanwhile() throws Exception {
        Path routes = ShippedRoutes.copyInto(workDir);
        // the alarm rule also archives the alarm, to a file that must not exist yet: while it does, every try fails
        ShippedRoutes.edit(routes.resolve("rules.camel.yaml"), "                        - to: direct:alert-file\n",
                "                        - to: direct:alert-file\n                        - to: direct:archive\n");
        Files.writeString(routes.resolve("archive.camel.yaml"), """
                - route:
                    id: archive
                    from:
                      uri: direct:archive
                      steps:
                        - marshal:
                            json:
                              library: Jackson
                        - to: "file:{{router.data-dir}}/archive?fileName=alarm&fileExist=Fail"
                """);
        ShippedRoutes.edit(routes.resolve("ingest.camel.yaml"), "maxAge: 60s", "maxAge: 2s");
        Path dataDir = workDir.resolve("data");
        Files.createDirectories(dataDir);
        Path blocker = Files.writeString(Files.createDirectories(dataDir.resolve("archive")).resolve("alarm"), "");

        try (RunningRouter router = RunningRouter.start(dataDir, "", Map.of(
                "camel.main.routes-include-pattern", ShippedRoutes.includePattern(routes),
                "router.recover-interval", "1s"))) {
            assertThat(router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit")).statusCode())
                    .isEqualTo(200);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(health(router)).isEqualTo(503);
                assertThat(metric(router, "chat_journal_oldest_age_seconds")).isGreaterThan(2);
            });
            assertThat(journalEntries(dataDir)).isOne();

            Files.delete(blocker);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(journalEntries(dataDir)).isZero();
                assertThat(dataDir.resolve("archive/alarm")).content().contains("RequestOverLimit");
                assertThat(health(router)).isEqualTo(200);
            });
            assertThat(AlertFiles.lines(dataDir)).isNotEmpty();
        }
    }


    private static long journalEntries(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("journal"))) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    private static int health(RunningRouter router) throws Exception {
        return router.send(HttpRequest.newBuilder(URI.create(router.managementUrl("/observe/health"))).build())
                .statusCode();
    }

    private static double metric(RunningRouter router, String name) throws Exception {
        String text = router.send(HttpRequest.newBuilder(URI.create(router.managementUrl("/observe/metrics")))
                .build()).body();
        return text.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line ->
                Double.parseDouble(line.substring(name.length() + 1).trim())).findFirst().orElse(-1);
    }
}
