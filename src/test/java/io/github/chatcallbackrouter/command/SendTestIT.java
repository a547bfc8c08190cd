package io.github.chatcallbackrouter.command;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.FakeReceivers;
import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.ShippedRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code send-test} checks a set-up end to end: a signed alarm goes in, the ack comes out, Slack gets the post. */
class SendTestIT {

    private static final String WEBHOOK_PATH = "/services/T0/B0/send-test";

    @RegisterExtension
    static final RunningRouter router = RunningRouter.withSlack(WEBHOOK_PATH);
    @TempDir
    Path logs;

    @Test
    void aSignedAlarmIsAcceptedAndReachesSlack() throws Exception {
        Result result = sendTest("--url", "http://127.0.0.1:" + router.port(),
                "--sdkappid", RunningRouter.SDKAPPID, "--token", RunningRouter.TOKEN);

        assertThat(result.exitCode()).isZero();
        assertThat(result.output())
                .contains("CallbackCommand=Alert.RequestOverLimit").contains("(signed")
                .contains("HTTP 200 {\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}")
                .contains("OK: the router accepted")
                .doesNotContain(RunningRouter.TOKEN);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                router.slack().verify(1, postRequestedFor(urlEqualTo(WEBHOOK_PATH))));
    }

    @Test
    void aWrongTokenFailsWithTheRoutersReason() throws Exception {
        Result result = sendTest("--url", router.url(""), "--sdkappid", RunningRouter.SDKAPPID,
                "--token", "not-the-token", "--command", "State.StateChange");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("HTTP 401").contains("\"ErrorCode\":40102").contains("FAILED");
    }

    @Test
    void noRouterListeningFailsSayingSo() throws Exception {
        Result result = sendTest("--url", "http://127.0.0.1:" + AvailablePortFinder.getNextAvailable(),
                "--sdkappid", RunningRouter.SDKAPPID);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("FAILED: no answer from 127.0.0.1");
    }

    @Test
    void aTestAlarmGoesStraightToOneChannelAndItsReceiversOwnAnswerIsPrinted(@TempDir Path work) throws Exception {
        try (FakeReceivers receivers = new FakeReceivers()) {
            Files.writeString(work.resolve("application.properties"), Files.readString(Path.of("application.properties"))
                    + "\nchannels.ops.type = dingtalk\nchannels.ops.url = " + receivers.url("/robot/send?access_token=t0k")
                    + "\nchannels.ops.secret = " + FakeReceivers.DINGTALK_SECRET
                    + "\nchannels.stale.type = dingtalk\nchannels.stale.url = "
                    + receivers.url("/robot/send?access_token=t0k") + "\nchannels.stale.secret = SECrotated-since\n");
            ShippedRoutes.copyInto(work);

            RouterProcess.Finished sent = RouterProcess.run(Map.of(), work, "", "send-test", "--channel", "ops");

            assertThat(sent.exitCode()).as(sent.stdout() + sent.stderr()).isZero();
            assertThat(sent.stdout()).contains("(channel ops, dingtalk): a test alarm, marked TEST")
                    .contains("HTTP 200 {\"errcode\":0,\"errmsg\":\"ok\"}").contains("OK: dingtalk took it (errcode 0 ok)")
                    .doesNotContain("t0k").doesNotContain(FakeReceivers.DINGTALK_SECRET);
            assertThat(receivers.of("dingtalk")).singleElement().matches(FakeReceivers.Got::accepted)
                    .matches(got -> got.json().at("/markdown/title").asText().contains("TEST"));

            RouterProcess.Finished refused = RouterProcess.run(Map.of(), work, "", "send-test", "--channel", "stale");

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stdout()).contains("FAILED: refused for good, the router would dead-letter it:"
                    + " errcode 310000 sign not match").doesNotContain("SECrotated-since");
        }
    }

    private record Result(int exitCode, String output) {
    }

    private Result sendTest(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "send-test";
        System.arraycopy(args, 0, command, 1, args.length);
        RouterProcess process = RouterProcess.start(Map.of(), logs.resolve("send-test.log"), command);
        int exitCode = process.exitCode(Duration.ofSeconds(30));
        return new Result(exitCode, process.output());
    }
}
