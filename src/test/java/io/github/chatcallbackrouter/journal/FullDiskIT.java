package io.github.chatcallbackrouter.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.Samples;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the router's data directory is a 1 MB tmpfs of its own (a mount namespace made with unshare,
 * so nothing outside the router sees it), which the test fills through /proc/PID/root. While the disk is full,
 * alarms are refused with 503 and /observe/health says DOWN; once there is room again both come back, and no
 * half-written temporary file is left in the journal.
 */
class FullDiskIT {

    @TempDir
    Path workDir;
    @TempDir
    Path logs;

    @Test
    void healthIsDownWhileAnAlarmCannotBeJournaled() throws Exception {
        Path dataDir = Files.createDirectories(workDir.resolve("data"));
        List<String> namespace = mountNamespace();
        int port = AvailablePortFinder.getNextAvailable();
        try (RouterProcess router = RouterProcess.start(namespace, Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(port), "CAMEL_SERVER_HOST", "127.0.0.1",
                "ROUTER_DATA_DIR", dataDir.toString()), logs.resolve("router.log"), Path.of("."))) {
            String alarmUrl = "http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=1400000000"
                    + "&CallbackCommand=Alert.RequestOverLimit";
            assertThat(router.firstAnswer(RouterProcess.post(alarmUrl, Samples.body("Alert.RequestOverLimit")),
                    Duration.ofSeconds(30)).statusCode()).isEqualTo(200);
            assertThat(health(router)).isEqualTo(200);

            // the data directory as the router sees it: the tmpfs in its mount namespace
            Path seenByRouter = Path.of("/proc/" + router.pid() + "/root" + dataDir.toAbsolutePath());
            Path filler = seenByRouter.resolve("filler");
            fill(filler);

            HttpResponse<String> refused = send(alarmUrl);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"ErrorCode\":50304");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(health(router)).isEqualTo(503));
            assertThat(temporaryFiles(seenByRouter.resolve("journal"))).isEmpty();

            Files.delete(filler);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(health(router)).isEqualTo(200));
            assertThat(send(alarmUrl).statusCode()).isEqualTo(200);
            assertThat(temporaryFiles(seenByRouter.resolve("journal"))).isEmpty();
        }
    }

    /** unshare with a private mount namespace and a 1 MB tmpfs on the data directory, or the test is skipped. */
    private List<String> mountNamespace() throws Exception {
        List<String> unshare = "root".equals(System.getProperty("user.name"))
                ? List.of("unshare", "--mount", "--propagation", "private")
                : List.of("unshare", "--user", "--map-root-user", "--mount", "--propagation", "private");
        Process probe = new ProcessBuilder(Stream.concat(unshare.stream(), Stream.of("sh", "-c",
                "mount -t tmpfs -o size=1m tmpfs \"$0\"", workDir.toString())).toList())
                .redirectErrorStream(true).start();
        boolean done = probe.waitFor(10, TimeUnit.SECONDS);
        Assumptions.assumeTrue(done && probe.exitValue() == 0, "this machine cannot make a mount namespace with a"
                + " tmpfs (unshare --mount): " + new String(probe.getInputStream().readAllBytes()));
        return Stream.concat(unshare.stream(), Stream.of("sh", "-c",
                "mount -t tmpfs -o size=1m tmpfs \"$ROUTER_DATA_DIR\" && exec \"$@\"", "sh")).toList();
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).containsIgnoringCase("space");
        }
    }

    private static List<Path> temporaryFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".tmp")).toList();
        }
    }

    private static HttpResponse<String> send(String url) throws Exception {
        return HttpClient.newHttpClient().send(RouterProcess.post(url, Samples.body("Alert.RequestOverLimit")),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int health(RouterProcess router) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(router.managementUrl(
                "/observe/health"))).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
