package io.github.chatcallbackrouter.journal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.RouterProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the router's data directory is a 1 MB tmpfs of its own (a mount namespace made with unshare,
 * so nothing outside the router sees it), which the test fills through /proc/PID/root. (A read-only remount is the
 * same failed write to the router, but the kernel refuses it while the router holds files open for writing.)
 * Chat never sends a callback again, so alarms are not refused for it: they are held in memory, answered OK within
 * Chat's 2 seconds and posted from there (After-callbacks relayed to the backend too), while /observe/health says
 * DOWN and why. Once there is room again they are journaled, routed and written to the alert file, the storm folded
 * as usual; a stop while the disk is still full says what it loses.
 */
class FullDiskIT {

    private static final String HOOK = "/services/T1/B1/full";

    private final WireMockServer backend = new WireMockServer(options().dynamicPort());

    @TempDir
    Path workDir;
    @TempDir
    Path logs;

    @Test
    void alarmsAreHeldInMemoryWhileTheDiskIsFullAndAllArriveOnceThereIsRoom() throws Exception {
        Path dataDir = Files.createDirectories(workDir.resolve("data"));
        List<String> namespace = mountNamespace();
        int port = AvailablePortFinder.getNextAvailable();
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));
        backend.start();
        backend.stubFor(post(urlPathEqualTo("/im")).willReturn(aResponse().withStatus(200)
                .withBody("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}")));
        try (RouterProcess router = RouterProcess.start(namespace, Map.ofEntries(
                Map.entry("CAMEL_SERVER_PORT", String.valueOf(port)), Map.entry("CAMEL_SERVER_HOST", "127.0.0.1"),
                Map.entry("ROUTER_DATA_DIR", dataDir.toString()),
                Map.entry("SLACK_WEBHOOK_URL", slack.baseUrl() + HOOK), Map.entry("SLACK_MIN_INTERVAL_MS", "10"),
                Map.entry("ROUTER_RECOVER_INTERVAL", "1s"), Map.entry("ALERTS_GROUP_WINDOW", "5s"),
                Map.entry("ALERTS_GROUP_CHECK_INTERVAL", "200"), Map.entry("ROUTER_STOP_MEMORY_WAIT", "1s"),
                Map.entry("UPSTREAM_CALLBACK_URL", backend.baseUrl() + "/im"),
                Map.entry("UPSTREAM_COMMANDS", "State.StateChange")),
                logs.resolve("router.log"), Path.of("."))) {
            String alarmUrl = "http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=1400000000"
                    + "&CallbackCommand=Alert.RequestOverLimit";
            assertThat(router.firstAnswer(RouterProcess.post(alarmUrl, alarm("first_api", 300)),
                    Duration.ofSeconds(30)).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> posts(slack).size() == 1);
            assertThat(health(router).statusCode()).isEqualTo(200);

            // the data directory as the router sees it: the tmpfs in its mount namespace
            Path seenByRouter = Path.of("/proc/" + router.pid() + "/root" + dataDir.toAbsolutePath());
            Path filler = seenByRouter.resolve("filler");
            fill(filler);

            List<Long> took = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                long started = System.nanoTime();
                HttpResponse<String> answer = send(alarmUrl, alarm("storm_api", 400 + i));
                took.add((System.nanoTime() - started) / 1_000_000);
                assertThat(answer.statusCode()).as("alarm " + i + ": " + answer.body()).isEqualTo(200);
            }
            System.out.println("FullDiskIT: answers while the disk was full (ms): " + took);
            assertThat(took).allMatch(ms -> ms < 2000);
            // After-callbacks for the backend too: answered OK, relayed from memory
            for (int i = 0; i < 5; i++) {
                assertThat(send(alarmUrl.replace("Alert.RequestOverLimit", "State.StateChange"),
                        "{\"CallbackCommand\":\"State.StateChange\",\"Info\":{\"To_Account\":\"u" + i + "\"}}")
                        .statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(backend.findAll(postRequestedFor(urlPathEqualTo("/im")))).hasSize(5));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> health = health(router);
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).contains("alarms are held in memory, not journaled");
            });
            // the storm's first alarm is posted from memory meanwhile
            await().atMost(Duration.ofSeconds(10)).until(() -> posts(slack).stream()
                    .anyMatch(body -> body.contains("storm_api")));
            assertThat(temporaryFiles(seenByRouter.resolve("journal"))).isEmpty();

            Files.delete(filler);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(alertLines(seenByRouter)).filteredOn(line -> line.contains("storm_api")).hasSize(50);
                assertThat(posts(slack)).filteredOn(body -> body.contains("storm_api")).hasSize(2)
                        .anyMatch(body -> body.contains("49 more alarms"));
                assertThat(health(router).statusCode()).isEqualTo(200);
            });
            assertThat(router.output()).contains("Alarms are held in memory, not journaled")
                    .contains("Alarms are journaled on disk again");

            // full again, and stopped before there is room: what is held in memory then is said to be lost (a full
            // tmpfs still takes a few bytes in pages it gave before, so some may be routed and not held)
            fill(filler);
            for (int i = 0; i < 3; i++) {
                assertThat(send(alarmUrl, alarm("last_api_" + i, 300)).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> inMemory(router) > 0
                    || alertLines(seenByRouter).stream().filter(line -> line.contains("last_api_")).count() == 3);
            double held = inMemory(router);
            router.close();
            Matcher lost = Pattern.compile("(\\d+) alarms held in memory could be neither routed nor written to the"
                    + " journal before the stop").matcher(router.output());
            if (held > 0) {
                assertThat(lost.find()).as("the stop says what it loses").isTrue();
                assertThat(Double.parseDouble(lost.group(1))).isBetween(1.0, held);
            }
        } finally {
            slack.stop();
            backend.stop();
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

    /** Writes until not one more byte fits: big blocks first, then smaller ones down to a byte. */
    private static void fill(Path filler) throws IOException {
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(filler,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.APPEND)) {
            for (int size = 16 * 1024; size >= 1; size /= 2) {
                try {
                    while (true) {
                        out.write(java.nio.ByteBuffer.allocate(size));
                    }
                } catch (IOException full) {
                    assertThat(full.getMessage()).containsIgnoringCase("space");
                }
            }
        }
    }

    private static List<String> posts(WireMockServer slack) {
        return slack.getAllServeEvents().stream().map(event -> event.getRequest().getBodyAsString()).toList();
    }

    private static double inMemory(RouterProcess router) throws Exception {
        return io.github.chatcallbackrouter.observe.Scrape.at(router.managementUrl("/observe/metrics"))
                .value("chat_alarms_in_memory");
    }

    private static List<String> alertLines(Path dataDir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataDir.resolve("alerts"))) {
            for (Path file : files.toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        return lines;
    }

    private static String alarm(String command, int requests) {
        return "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"ServiceName\":\"openim\",\"Command\":\"" + command
                + "\",\"Request\":" + requests + ",\"Limit\":200}";
    }

    private static List<Path> temporaryFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".tmp")).toList();
        }
    }

    private static HttpResponse<String> send(String url, String body) throws Exception {
        return HttpClient.newHttpClient().send(RouterProcess.post(url, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> health(RouterProcess router) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(router.managementUrl(
                "/observe/health"))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
