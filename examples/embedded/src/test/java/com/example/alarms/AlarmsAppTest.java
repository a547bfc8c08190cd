package com.example.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application as it runs, its settings given as the environment would give them: a signed over-limit alarm from
 * Chat reaches a fake DingTalk robot, signed with the robot's secret; an unsigned callback is refused with Tencent's
 * FAIL JSON and reaches nobody.
 */
class AlarmsAppTest {

    private static final String SDKAPPID = "1400000001";
    private static final String TOKEN = "embedded-token";
    private static final String ROBOT_SECRET = "SEC-embedded";
    private static final String ALARM = """
            {"CallbackCommand":"Alert.RequestOverLimit","ServiceName":"openim","Command":"batchsendmsg",\
            "Request":510,"Limit":200}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> robotGot = new CopyOnWriteArrayList<>();
    private final List<String> robotRefused = new CopyOnWriteArrayList<>();
    private HttpServer robot;
    private Main main;
    private int port;

    @BeforeEach
    void start() throws Exception {
        robot = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        robot.createContext("/robot/send", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // DingTalk's check: sign = Base64(HmacSHA256(timestamp + "\n" + secret)), as the robot's docs give it
            String query = exchange.getRequestURI().getRawQuery();
            if (signatureHolds(query)) {
                robotGot.add(body);
            } else {
                robotRefused.add(query);
            }
            byte[] answer = "{\"errcode\":0,\"errmsg\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        robot.start();
        port = AvailablePortFinder.getNextAvailable();
        main = new Main(AlarmsApp.class);
        main.addOverrideProperty("camel.server.port", String.valueOf(port));
        main.addOverrideProperty("tencent.sdkappid", SDKAPPID);
        main.addOverrideProperty("tencent.callback-token", TOKEN);
        main.addOverrideProperty("dingtalk.robot-url",
                "http://127.0.0.1:" + robot.getAddress().getPort() + "/robot/send?access_token=t0k&x=1");
        main.addOverrideProperty("dingtalk.robot-secret", ROBOT_SECRET);
        main.start();
    }

    @AfterEach
    void stop() {
        main.stop();
        robot.stop(0);
    }

    @Test
    void aSignedAlarmReachesTheRobotSigned() throws Exception {
        HttpResponse<String> answer = callback(true);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !robotGot.isEmpty());
        assertThat(robotGot.get(0)).contains("openim/batchsendmsg").contains("255%");
        assertThat(robotRefused).isEmpty();
    }

    @Test
    void anUnsignedCallbackIsRefusedWithFailJsonAndReachesNobody() throws Exception {
        HttpResponse<String> refused = callback(false);
        // a signed one after it: once it has arrived, the unsigned one would have too
        callback(true);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("\"ActionStatus\":\"FAIL\"").contains("\"ErrorCode\":40101");
        await().atMost(Duration.ofSeconds(10)).until(() -> !robotGot.isEmpty());
        assertThat(robotGot).hasSize(1);
    }

    private HttpResponse<String> callback(boolean signed) throws Exception {
        long now = Instant.now().getEpochSecond();
        String query = signed ? CallbackSignature.query(SDKAPPID, "Alert.RequestOverLimit", TOKEN, now)
                : "SdkAppid=" + SDKAPPID + "&CallbackCommand=Alert.RequestOverLimit&contenttype=json";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tencent/callback?" + query))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ALARM)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean signatureHolds(String query) {
        String timestamp = parameter(query, "timestamp");
        String sign = parameter(query, "sign");
        if (timestamp == null || sign == null || !"t0k".equals(parameter(query, "access_token"))) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ROBOT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(
                    mac.doFinal((timestamp + "\n" + ROBOT_SECRET).getBytes(StandardCharsets.UTF_8)));
            return expected.equals(sign);
        } catch (Exception e) {
            return false;
        }
    }

    private static String parameter(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
