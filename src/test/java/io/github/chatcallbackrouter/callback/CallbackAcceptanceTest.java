package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every documented command word, signed as Chat signs it, is answered OK at once over real HTTP. */
class CallbackAcceptanceTest {

    private static final String OK = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";

    @TempDir
    static Path dataDir;
    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(dataDir, "", Map.of());
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    static Stream<String> commandWords() {
        return CommandCatalog.get().all().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("commandWords")
    void answersEveryCommandWordOkWellUnderTwoSeconds(String command) throws Exception {
        String sample = Samples.body(command);
        String body = sample != null ? sample : "{\"CallbackCommand\":\"" + command + "\",\"EventTime\":1670574414123}";
        long started = System.nanoTime();
        HttpResponse<String> response = router.post(command, body);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(OK);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(millis).as("answer time in ms").isLessThan(500);
    }

    @Test
    void catalogHoldsTheFiftySevenDocumentedWordsWithElevenBeforeCallbacks() {
        assertThat(CommandCatalog.get().all()).hasSize(57);
        assertThat(CommandCatalog.get().all().values().stream().filter(c -> c.kind().equals("before")))
                .hasSize(11);
    }

    @Test
    void acceptsABodyWithoutCallbackCommandTakingItFromTheUrl() throws Exception {
        HttpResponse<String> response = router.post("Group.CallbackAfterRecallMsg", "{\"GroupId\":\"@TGS#1\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(OK);
    }

    @Test
    void readsTheBodyAsJsonWhateverContentTypeChatSends() throws Exception {
        for (String contentType : new String[] {"application/x-www-form-urlencoded", "text/plain", "application/json"}) {
            HttpResponse<String> response = router.send(HttpRequest.newBuilder(
                            URI.create(router.signedUrl("State.StateChange")))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(Samples.body("State.StateChange")))
                    .build());

            assertThat(response.statusCode()).as(contentType).isEqualTo(200);
            assertThat(response.body()).as(contentType).isEqualTo(OK);
        }
    }

    @Test
    void acceptsACommandWordTencentAddsLaterAsAnAfterCallback() throws Exception {
        assertThat(CommandCatalog.get().kindOf("Group.CallbackAfterSomethingNew")).isEqualTo("after");
        assertThat(CommandCatalog.get().kindOf("Group.CallbackBeforeSomethingNew")).isEqualTo("before");

        HttpResponse<String> response = router.post("Group.CallbackAfterSomethingNew", "{}");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void acceptsEverySdkAppIdConfigured() throws Exception {
        String url = router.signedUrl("State.StateChange").replace("SdkAppid=1400000001", "SdkAppid=1400000002");
        HttpResponse<String> response = router.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(Samples.body("State.StateChange"))).build());

        assertThat(response.statusCode()).isEqualTo(200);
    }
}
