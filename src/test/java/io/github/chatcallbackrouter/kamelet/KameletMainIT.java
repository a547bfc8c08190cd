package io.github.chatcallbackrouter.kamelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.FakeReceivers;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

/**
 * The documented command, scripts/run-pipe.sh, runs examples/pipes/alarm-to-dingtalk.pipe.yaml under Camel's own
 * Kamelet runtime (camel-kamelet-main), its settings from the environment and nothing downloaded: a signed alarm
 * reaches a fake DingTalk robot, signed; an unsigned callback is refused with Tencent's FAIL JSON.
 */
class KameletMainIT {

    private static final String SDKAPPID = "1400000008";
    private static final String TOKEN = "kamelet-main-token";

    @Test
    void thePipeRunsUnderCamelsKameletRuntime() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        try (FakeReceivers dingTalk = new FakeReceivers()) {
            ProcessBuilder run = new ProcessBuilder("bash", "scripts/run-pipe.sh",
                    "examples/pipes/alarm-to-dingtalk.pipe.yaml", "-Dcamel.server.port=" + port)
                    .redirectErrorStream(true).redirectOutput(Path.of("target", "kamelet-main-it.log").toFile());
            run.environment().put("TENCENT_SDKAPPID", SDKAPPID);
            run.environment().put("TENCENT_CALLBACK_TOKEN", TOKEN);
            run.environment().put("DINGTALK_ROBOT_URL", dingTalk.url("/robot/send?access_token=main"));
            run.environment().put("DINGTALK_ROBOT_SECRET", FakeReceivers.DINGTALK_SECRET);
            Process pipe = run.start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> alarm = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> http.send(post(port, true), HttpResponse.BodyHandlers.ofString()),
                                answer -> answer.statusCode() == 200);

                assertThat(alarm.body()).isEqualTo("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}");
                await().atMost(Duration.ofSeconds(10)).until(() -> !dingTalk.of("dingtalk").isEmpty());
                assertThat(dingTalk.of("dingtalk").get(0).accepted()).as(dingTalk.of("dingtalk").get(0).answer())
                        .isTrue();
                HttpResponse<String> unsigned = http.send(post(port, false), HttpResponse.BodyHandlers.ofString());
                assertThat(unsigned.statusCode()).isEqualTo(401);
                assertThat(unsigned.body()).contains("\"ActionStatus\":\"FAIL\"");
            } finally {
                pipe.destroy();
                pipe.waitFor();
            }
        }
    }

    private static HttpRequest post(int port, boolean signed) {
        String time = String.valueOf(Instant.now().getEpochSecond());
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=" + SDKAPPID
                        + "&CallbackCommand=Alert.RequestOverLimit&contenttype=json"
                        + (signed ? "&Sign=" + CallbackSignature.sign(TOKEN, time) + "&RequestTime=" + time : "")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Samples.body("Alert.RequestOverLimit"))).build();
    }
}
