package io.github.chatcallbackrouter.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.RunningRouter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** /observe/health: 200 while the routes run and the data directory is writable, 503 otherwise. */
class HealthIT {

    @TempDir
    Path workDir;
    @RegisterExtension
    final RunningRouter router = RunningRouter.withoutSlack();

    @Test
    void upWhenRoutesRunAndTheDataDirectoryIsWritable() throws Exception {
        HttpResponse<String> health = health();
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void downWhenTheDataDirectoryCannotBeWritten() throws Exception {
        // a file where the directory should be: nothing can be written there, even as root
        Path dataDir = router.dataDir();
        Path moved = workDir.resolve("moved-away");
        Files.move(dataDir, moved);
        Files.writeString(dataDir, "not a directory");

        assertThat(health().statusCode()).isEqualTo(503);

        Files.delete(dataDir);
        Files.move(moved, dataDir);
        assertThat(health().statusCode()).isEqualTo(200);
    }

    @Test
    void downWhenARouteIsStopped() throws Exception {
        assertThat(Scrape.of(router).value("chat_routes_stopped")).isZero();

        router.context().getRouteController().stopRoute("classify");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(health().statusCode()).isEqualTo(503));
        assertThat(Scrape.of(router).value("chat_routes_stopped")).isEqualTo(1);
    }

    private HttpResponse<String> health() throws Exception {
        return router.send(HttpRequest.newBuilder(URI.create(router.managementUrl("/observe/health"))).build());
    }
}
