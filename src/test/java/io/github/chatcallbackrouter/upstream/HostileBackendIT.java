package io.github.chatcallbackrouter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.RouterProcess;
import io.github.chatcallbackrouter.Timing;
import io.github.chatcallbackrouter.observe.Scrape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app's backend as an adversary, or just broken: it hangs with hundreds of callbacks waiting, answers 50 MB,
 * answers what Chat cannot read or what the command may not change. Chat hears an answer within its 2 s every time
 * (the fail policy's when the backend's is not one), and the router lives on.
 */
@Timing
class HostileBackendIT {

    private static final String ALLOW = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";

    @TempDir
    Path dataDir;
    @TempDir
    Path logs;
    private final int port = AvailablePortFinder.getNextAvailable();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private ServerSocket backend;

    @AfterEach
    void closeBackend() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** A backend on a raw socket: each connection's request read, then {@code answer} written (null: it hangs). */
    private String backend(Function<String, byte[]> answer) throws IOException {
        backend = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        daemon(() -> {
            while (!backend.isClosed()) {
                try {
                    Socket socket = backend.accept();
                    held.add(socket);
                    daemon(() -> serve(socket, answer));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return "http://127.0.0.1:" + backend.getLocalPort() + "/im";
    }

    private static void daemon(Runnable work) {
        Thread thread = new Thread(work, "hostile-backend");
        thread.setDaemon(true);
        thread.start();
    }

    /** One request: its head and body go to {@code answer}, as text. */
    private static void serve(Socket socket, Function<String, byte[]> answer) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int length = head.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                    .map(line -> Integer.parseInt(line.substring(15).trim())).findFirst().orElse(0);
            String request = head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
            byte[] reply = answer.apply(request);
            if (reply == null) {
                Thread.sleep(Long.MAX_VALUE);
            }
            OutputStream out = socket.getOutputStream();
            out.write(reply);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the router went away: as it should, when it has what it wanted or its time is up
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static byte[] http200(byte[] body) {
        // it closes the connection once it has answered, and says so
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private RouterProcess router(String backendUrl, Map<String, String> extra) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of(
                "CAMEL_SERVER_PORT", String.valueOf(port), "CAMEL_SERVER_HOST", "127.0.0.1",
                "TENCENT_SDKAPPID", "1400000000", "ROUTER_DATA_DIR", dataDir.toString(),
                "UPSTREAM_CALLBACK_URL", backendUrl, "UPSTREAM_DENY_WHEN_DOWN", "Group.CallbackBeforeSendMsg"));
        environment.putAll(extra);
        RouterProcess router = RouterProcess.start(environment, logs.resolve("router-" + System.nanoTime() + ".log"));
        router.firstAnswer(RouterProcess.post(url("State.StateChange"), "{}"), Duration.ofSeconds(30));
        return router;
    }

    private String url(String command) {
        return "http://127.0.0.1:" + port + "/tencent/callback?SdkAppid=1400000000&contenttype=json&CallbackCommand="
                + command;
    }

    private static String message(String command, String from) {
        return "{\"CallbackCommand\":\"" + command + "\",\"From_Account\":\"" + from + "\",\"To_Account\":\"bob\","
                + "\"GroupId\":\"@TGS#1\",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi\"}}]}";
    }

    @Test
    void threeHundredBeforeCallbacksWaitingOnAHangingBackendAreAllAnsweredWithinTwoSeconds() throws Exception {
        try (RouterProcess router = router(backend(head -> null), Map.of())) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<Long>> answers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String command = i % 2 == 0 ? "C2C.CallbackBeforeSendMsg" : "Group.CallbackBeforeSendMsg";
                long sent = System.nanoTime();
                answers.add(http.sendAsync(RouterProcess.post(url(command), message(command, "user" + i)),
                        HttpResponse.BodyHandlers.ofString()).thenApply(answer -> {
                            long took = (System.nanoTime() - sent) / 1_000_000;
                            assertThat(answer.statusCode()).isEqualTo(200);
                            // the fail policy: allowed, or denied for the word upstream.deny-when-down lists
                            assertThat(answer.body()).contains(command.startsWith("C2C") ? "\"ErrorCode\":0"
                                    : "\"ErrorCode\":1");
                            return took;
                        }));
            }
            List<Long> took = new ArrayList<>(answers.stream().map(CompletableFuture::join).toList());
            Collections.sort(took);
            System.out.printf("HostileBackendIT: 300 Before-callbacks, a hanging backend: median %d ms, slowest %d ms%n",
                    took.get(150), took.get(299));
            assertThat(took.get(299)).as("the slowest answer (ms)").isLessThan(2000);
            double ackMax = Scrape.at(router.managementUrl("/observe/metrics")).value("chat_callback_ack_seconds_max"
                    + "{outcome=\"accepted\"}");
            System.out.printf("HostileBackendIT: the router's own longest answer (from arrival) %.0f ms%n", ackMax * 1000);
            assertThat(ackMax * 1000).as("what the router says Chat waited, at most").isGreaterThan(took.get(299) * 0.5);
        }
    }

    @Test
    void aFiftyMegabyteAnswerIsTheFailPolicysCaseAndTheRouterLivesOn() throws Exception {
        byte[] huge = new byte[50 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        try (RouterProcess router = router(backend(head -> http200(huge)), Map.of())) {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> answer = http.send(RouterProcess.post(url("C2C.CallbackBeforeSendMsg"),
                        message("C2C.CallbackBeforeSendMsg", "alice")), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.body()).isEqualTo(ALLOW);
            }
            assertThat(router.isAlive()).isTrue();
            assertThat(router.output()).contains("(too_large)").doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void answersChatCannotReadOrThatChangeWhatTheCommandKeepsAreTheFailPolicys() throws Exception {
        byte[] noStatus = http200("{\"ErrorCode\":0,\"ErrorInfo\":\"\"}".getBytes(StandardCharsets.UTF_8));
        byte[] badUtf8 = http200(new byte[] {'{', '"', 'A', 'c', 't', 'i', 'o', 'n', 'S', 't', 'a', 't', 'u', 's', '"',
            ':', '"', 'O', 'K', '"', ',', '"', 'E', 'r', 'r', 'o', 'r', 'I', 'n', 'f', 'o', '"', ':', '"', (byte) 0xC3,
            (byte) 0x28, '"', ',', '"', 'E', 'r', 'r', 'o', 'r', 'C', 'o', 'd', 'e', '"', ':', '0', '}'});
        byte[] changesTheGroup = http200(("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\","
                + "\"GroupId\":\"@TGS#x\",\"Owner_Account\":\"mallory\",\"MsgBody\":[]}").getBytes(StandardCharsets.UTF_8));
        try (RouterProcess router = router(backend(request -> request.contains("\"no-status\"") ? noStatus
                : request.contains("\"bad-utf8\"") ? badUtf8 : changesTheGroup), Map.of())) {
            HttpClient http = HttpClient.newHttpClient();
            for (String from : List.of("no-status", "bad-utf8")) {
                assertThat(http.send(RouterProcess.post(url("C2C.CallbackBeforeSendMsg"),
                        message("C2C.CallbackBeforeSendMsg", from)), HttpResponse.BodyHandlers.ofString()).body())
                        .as(from).isEqualTo(ALLOW);
            }
            String created = "{\"CallbackCommand\":\"Group.CallbackBeforeCreateGroup\",\"Operator_Account\":\"alice\","
                    + "\"Owner_Account\":\"alice\",\"Type\":\"Public\",\"Name\":\"g\"}";
            HttpResponse<String> answer = http.send(RouterProcess.post(url("Group.CallbackBeforeCreateGroup"), created),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).isEqualTo(ALLOW);
            assertThat(router.output()).contains("(not_an_answer)").contains("no ActionStatus")
                    .contains("(not_utf8)").contains("(not_allowed)").contains("GroupId, MsgBody, Owner_Account");
            assertThat(Scrape.at(router.managementUrl("/observe/metrics")).value("chat_decisions_total{command="
                    + "\"Group.CallbackBeforeCreateGroup\",decided_by=\"fail-policy\",decision=\"allow\"}")).isEqualTo(1);
        }
    }
}
