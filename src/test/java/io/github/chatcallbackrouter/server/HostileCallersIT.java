package io.github.chatcallbackrouter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.RawHttp;
import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.Timing;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar with the shipped jvm.options (a 160 MB heap), as an attacker meets it: 300 callers each start a
 * 1 MiB callback and never finish it. Before the callback server bounded what it buffers, about 160 of them
 * filled the heap and the JVM died. The router runs with its defaults (no token), so callers that name the right
 * SdkAppid get their bodies read: the worst case.
 */
@Timing
class HostileCallersIT {

    private static final int CALLERS = 300;
    private static final int ANNOUNCED = 1_048_576;
    private static final int SENT = 900 * 1024;

    @TempDir
    Path dataDir;
    @TempDir
    Path logDir;

    @Test
    void callersThatNeverFinishTheirBodiesCannotExhaustTheHeap() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        try (RouterProcess router = RouterProcess.start(Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(port),
                "CAMEL_SERVER_HOST", "127.0.0.1",
                "ROUTER_DATA_DIR", dataDir.toString()), logDir.resolve("router.log"))) {
            String callbackUrl = "http://127.0.0.1:" + port + "/tencent/callback";
            assertThat(router.firstAnswer(RouterProcess.post(callbackUrl + "?SdkAppid=1400000000"
                    + "&CallbackCommand=State.StateChange", Samples.body("State.StateChange")), Duration.ofSeconds(30))
                    .statusCode()).isEqualTo(200);

            List<RawHttp> callers = new ArrayList<>();
            ExecutorService senders = Executors.newFixedThreadPool(32);
            try {
                List<Future<?>> sending = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    // half unauthenticated (another app), half with the router's own SdkAppid
                    String sdkAppId = i % 2 == 0 ? "1400999999" : "1400000000";
                    RawHttp caller = new RawHttp(port);
                    callers.add(caller);
                    sending.add(senders.submit(() -> startBodyAndStop(caller, sdkAppId)));
                }
                for (Future<?> send : sending) {
                    send.get(60, TimeUnit.SECONDS);
                }

                assertThat(router.isAlive()).as("the router survived " + CALLERS + " unfinished 1 MiB bodies\n"
                        + router.output()).isTrue();
            } finally {
                senders.shutdownNow();
                for (RawHttp caller : callers) {
                    caller.close();
                }
            }

            // all of them gone, and their bytes given back: a real callback is answered as always
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(router.firstAnswer(
                    RouterProcess.post(callbackUrl + "?SdkAppid=1400000000&CallbackCommand=Alert.RequestOverLimit",
                            Samples.body("Alert.RequestOverLimit")), Duration.ofSeconds(5)).statusCode())
                    .isEqualTo(200));
            assertThat(router.isAlive()).isTrue();
            assertThat(router.output()).doesNotContain("OutOfMemoryError");
        }
    }

    /** The head of a 1 MiB POST and 900 KiB of its body, then nothing; a refusal closing the socket is fine. */
    private static Void startBodyAndStop(RawHttp caller, String sdkAppId) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        try {
            OutputStream out = caller.send("POST /tencent/callback?SdkAppid=" + sdkAppId
                    + "&CallbackCommand=Alert.RequestOverLimit HTTP/1.1\r\nHost: router\r\nContent-Length: "
                    + ANNOUNCED + "\r\n\r\n{\"pad\":\"").out();
            for (int sent = 0; sent < SENT; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
        } catch (IOException refusedAndClosed) {
            // the router answered (403, or 503 when its buffers are full) and closed the connection
        }
        return null;
    }
}
