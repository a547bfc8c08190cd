package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.support.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tencent.allowed-sources: off by default; when set, callbacks from elsewhere get 403 before anything else. */
class AllowedSourcesIT {

    @TempDir
    Path dataDir;

    @Test
    void aCallerOutsideTheListIsRefused() throws Exception {
        try (RunningRouter router = RunningRouter.start(dataDir, "",
                Map.of("tencent.allowed-sources", "10.0.0.0/8, 183.192.202.0/25"))) {
            HttpResponse<String> answer = router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit"));

            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(Json.MAPPER.readTree(answer.body()).get("ErrorCode").asInt()).isEqualTo(40302);
            assertThat(answer.body()).contains("not accepted from 127.0.0.1");
        }
    }

    @Test
    void aCallerInTheListIsAccepted() throws Exception {
        try (RunningRouter router = RunningRouter.start(dataDir, "",
                Map.of("tencent.allowed-sources", "10.0.0.0/8,127.0.0.1"))) {
            assertThat(router.post("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit")).statusCode())
                    .isEqualTo(200);
        }
    }
}
