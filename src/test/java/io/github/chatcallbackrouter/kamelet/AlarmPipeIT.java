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
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped Pipe examples/pipes/alarm-to-dingtalk.pipe.yaml in a plain CamelContext, its Kamelets loaded from the
 * classpath as the kamelet component finds them: a signed alarm reaches a fake DingTalk robot that checks its
 * signature; an unsigned callback is refused with Tencent's FAIL JSON; a robot that throttles (errcode 130101)
 * fails the exchange, and the Pipe's error handler posts it again.
 */
class AlarmPipeIT {

    private static final String SDKAPPID = "1400000007";
    private static final String TOKEN = "pipe-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeReceivers dingTalk;
    private DefaultCamelContext context;
    private int port;

    @BeforeEach
    void startPipe() throws Exception {
        dingTalk = new FakeReceivers();
        port = AvailablePortFinder.getNextAvailable();
        context = new DefaultCamelContext();
        // what the platform provides: the Pipe's properties and an HTTP server for platform-http
        Properties settings = new Properties();
        settings.setProperty("tencent.sdkappid", SDKAPPID);
        settings.setProperty("tencent.callback-token", TOKEN);
        settings.setProperty("dingtalk.robot-url", dingTalk.url("/robot/send?access_token=pipe"));
        settings.setProperty("dingtalk.robot-secret", FakeReceivers.DINGTALK_SECRET);
        settings.setProperty("pipe.redelivery-delay-ms", "100");
        context.getPropertiesComponent().setOverrideProperties(settings);
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        server.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(server));
        PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context)
                .resolveResource("file:examples/pipes/alarm-to-dingtalk.pipe.yaml"));
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
        dingTalk.close();
    }

    private HttpResponse<String> callback(String command, String body, boolean signed) throws Exception {
        String time = String.valueOf(Instant.now().getEpochSecond());
        String query = "SdkAppid=" + SDKAPPID + "&CallbackCommand=" + command + "&contenttype=json"
                + (signed ? "&Sign=" + CallbackSignature.sign(TOKEN, time) + "&RequestTime=" + time : "");
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tencent/callback?" + query))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSignedAlarmReachesTheRobotSignedAndAnythingElseDoesNot() throws Exception {
        HttpResponse<String> alarm = callback("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit"), true);
        HttpResponse<String> state = callback("State.StateChange", Samples.body("State.StateChange"), true);
        HttpResponse<String> unsigned = callback("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit"),
                false);

        assertThat(alarm.body()).as("HTTP " + alarm.statusCode() + " " + alarm.headers().map()).isEqualTo("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}");
        assertThat(alarm.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("chat"));
        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).contains("\"ActionStatus\":\"FAIL\"").contains("\"ErrorCode\":40101");
        await().atMost(Duration.ofSeconds(10)).until(() -> dingTalk.of("dingtalk").size() == 1);
        FakeReceivers.Got got = dingTalk.of("dingtalk").get(0);
        assertThat(got.accepted()).as("signature checked by the fake robot: " + got.answer()).isTrue();
        assertThat(got.json().at("/markdown/text").asText()).contains("openim/batchsendmsg").contains("255%");
    }

    @Test
    void aThrottlingRobotFailsTheExchangeAndThePipesErrorHandlerPostsItAgain() throws Exception {
        dingTalk.answerNext("/robot/send", 2, FakeReceivers.Answer.error(200,
                "{\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"}"));

        callback("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit"), true);

        await().atMost(Duration.ofSeconds(10)).until(() -> dingTalk.of("dingtalk").size() == 3);
        assertThat(dingTalk.of("dingtalk")).extracting(FakeReceivers.Got::accepted).containsExactly(false, false, true);
        // each post signed when it was made
        assertThat(dingTalk.of("dingtalk")).extracting(got -> got.query().get("timestamp")).doesNotHaveDuplicates();
    }
}
