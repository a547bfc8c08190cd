package io.github.chatcallbackrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.ShippedRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP reloads the route files, as it reloads Alertmanager's configuration, even with watching off: a good
 * change is applied, a bad one refused with the router running on, and the last reload's outcome and time are
 * metrics. The router's own meters survive the reload.
 */
class ReloadOnHangUpIT {

    @TempDir
    Path directory;

    @Test
    void sighupAppliesAGoodChangeAndRefusesABadOne() throws Exception {
        Files.copy(Path.of("application.properties"), directory.resolve("application.properties"));
        Path routes = ShippedRoutes.copyInto(directory);
        int port = AvailablePortFinder.getNextAvailable();
        String callbacks = "http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=1400000000&contenttype=json"
                + "&CallbackCommand=";
        try (RouterProcess router = RouterProcess.start(Map.of("CAMEL_SERVER_PORT", String.valueOf(port),
                "CAMEL_SERVER_HOST", "127.0.0.1", "ROUTER_RELOAD_ROUTES", "false", "ROUTER_DATA_DIR", "data"),
                directory.resolve("router.log"), directory, new String[0])) {
            assertThat(router.firstAnswer(RouterProcess.post(callbacks + "Alert.RequestOverLimit",
                    Samples.body("Alert.RequestOverLimit")), Duration.ofSeconds(30)).statusCode()).isEqualTo(200);
            double loadedAt = metric(router, "chat_routes_last_reload_success_timestamp_seconds");

            // state changes are kept in a file of their own; saved, but not applied until SIGHUP
            Path rules = routes.resolve("rules.camel.yaml");
            ShippedRoutes.edit(rules, "            when:\n", "            when:\n"
                    + "              - simple: \"${header.ChatCommand} == 'State.StateChange'\"\n"
                    + "                steps:\n"
                    + "                  - marshal: {json: {library: Jackson}}\n"
                    + "                  - to: \"file:{{router.data-dir}}/states?fileName=state\"\n");
            // no watcher to pick the file up: the rules in force do not route a state change, so it is answered
            // without being handed off, and once answered it has gone nowhere
            assertThat(router.output()).contains("; reloaded on SIGHUP").doesNotContain("reloaded when saved");
            assertThat(post(callbacks + "State.StateChange")).isEqualTo(200);
            assertThat(metric(router, "chat_routes_last_reload_success_timestamp_seconds")).isEqualTo(loadedAt);
            assertThat(directory.resolve("data/states/state")).doesNotExist();

            hangUp(router);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> metric(router, "chat_routes_last_reload_success_timestamp_seconds") > loadedAt);
            post(callbacks + "State.StateChange");
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(directory.resolve("data/states/state")));
            assertThat(metric(router, "chat_routes_last_reload_successful")).isEqualTo(1);
            assertThat(metric(router, "chat_alerts_total{severity=\"critical\",type=\"api-over-limit\"}"))
                    .as("meters survive a reload").isEqualTo(1);

            ShippedRoutes.edit(rules, "- to: direct:alert-file", "- too: direct:alert-file");
            hangUp(router);
            await().atMost(Duration.ofSeconds(20)).until(() -> metric(router, "chat_routes_last_reload_successful") == 0);
            assertThat(router.isAlive()).isTrue();
            assertThat(post(callbacks + "Alert.RequestOverLimit")).isEqualTo(200);
            assertThat(router.output()).contains("(SIGHUP)")
                    .contains("Refused the change to").contains("'too'");
        }
    }

    private static void hangUp(RouterProcess router) throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", String.valueOf(router.pid())).start().waitFor()).isZero();
    }

    private static int post(String url) throws Exception {
        String command = url.substring(url.lastIndexOf('=') + 1);
        return HttpClient.newHttpClient().send(RouterProcess.post(url, Samples.body(command)),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static double metric(RouterProcess router, String series) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(router.managementUrl("/observe/metrics"))).build(), HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(line ->
                Double.parseDouble(line.substring(series.length() + 1).trim())).findFirst().orElse(-1);
    }
}
