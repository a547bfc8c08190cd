package io.github.chatcallbackrouter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.AlertFiles;
import io.github.chatcallbackrouter.LogCapture;
import io.github.chatcallbackrouter.RawHttp;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.observe.Scrape;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's URL check: a request that names no CallbackCommand is answered OK by any method, and nothing of it
 * is read or processed; one that names an app still needs that app's Sign, so the check is no way past it.
 */
class UrlCheckIT {

    private static final String OK = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";

    @RegisterExtension
    static final RunningRouter router = RunningRouter.withoutSlack();

    private static String signed(String sdkAppId, String token) {
        String time = String.valueOf(Instant.now().getEpochSecond());
        return "SdkAppid=" + sdkAppId + "&Sign=" + CallbackSignature.sign(token, time) + "&RequestTime=" + time;
    }

    @Test
    void aRequestNamingNoCommandIsAnsweredOkByAnyMethodWithoutItsBodyBeingRead() throws Exception {
        double before = Scrape.of(router).value("chat_callbacks_total{app=\"unknown\",command=\"none\","
                + "outcome=\"url_check\"}");
        try (LogCapture logs = new LogCapture(); RawHttp http = new RawHttp(router.port())) {
            for (String method : new String[] {"GET", "POST", "HEAD"}) {
                RawHttp.Answer answer = http.send(method + " /tencent/callback HTTP/1.1\r\nHost: r\r\n\r\n").read();
                assertThat(answer.status()).as(method).isEqualTo(200);
                if (!method.equals("HEAD")) {
                    assertThat(answer.body()).as(method).isEqualTo(OK);
                }
            }
            // a body announced and never sent: answered at once, not waited for
            try (RawHttp probe = new RawHttp(router.port())) {
                RawHttp.Answer answer = probe.send("POST /tencent/callback?contenttype=json HTTP/1.1\r\nHost: r\r\n"
                        + "Content-Length: 100000\r\n\r\n").read();
                assertThat(answer.body()).isEqualTo(OK);
            }
            assertThat(logs.lines()).anyMatch(line -> line.startsWith("INFO") && line.contains("Answered a URL check"));
        }
        assertThat(Scrape.of(router).value("chat_callbacks_total{app=\"unknown\",command=\"none\","
                + "outcome=\"url_check\"}") - before).isEqualTo(4);
    }

    @Test
    void anAppsCheckPassesWithItsSignAndOnlyWithIt() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            RawHttp.Answer signed = http.send("POST /tencent/callback?" + signed(RunningRouter.SDKAPPID,
                    RunningRouter.TOKEN) + " HTTP/1.1\r\nHost: r\r\nContent-Length: 2\r\n\r\n{}").read();
            assertThat(signed.status()).isEqualTo(200);
            assertThat(signed.body()).isEqualTo(OK);

            RawHttp.Answer forged = http.send("POST /tencent/callback?" + signed(RunningRouter.SDKAPPID, "guessed")
                    + " HTTP/1.1\r\nHost: r\r\nContent-Length: 2\r\n\r\n{}").read();
            assertThat(forged.status()).isEqualTo(401);
            RawHttp.Answer stranger = http.send("POST /tencent/callback?SdkAppid=1400999999 HTTP/1.1\r\nHost: r\r\n"
                    + "Content-Length: 2\r\n\r\n{}").read();
            assertThat(stranger.status()).isEqualTo(403);
        }
    }

    @Test
    void aCheckIsNeverTakenForACallbackSoNothingIsProcessed() throws Exception {
        try (RawHttp http = new RawHttp(router.port())) {
            // an alarm's body, without a command and without a Sign: OK, and no alarm
            http.send("POST /tencent/callback HTTP/1.1\r\nHost: r\r\nContent-Length: "
                    + Samples.body("Alert.RequestOverLimit").length() + "\r\n\r\n" + Samples.body("Alert.RequestOverLimit"))
                    .read();
            // a command without SdkAppid is a callback, and refused as before
            assertThat(http.send("POST /tencent/callback?CallbackCommand=Alert.RequestOverLimit HTTP/1.1\r\nHost: r\r\n"
                    + "Content-Length: 2\r\n\r\n{}").read().status()).isEqualTo(403);
        }
        router.awaitIdle();
        assertThat(AlertFiles.lines(router.dataDir())).isEmpty();
    }
}
