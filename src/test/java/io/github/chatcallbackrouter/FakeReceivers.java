package io.github.chatcallbackrouter;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.chatcallbackrouter.support.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeCom, DingTalk, Feishu, PagerDuty, Teams and a JSON webhook as a real HTTP server in the test: each checks what it
 * gets as the real one does (body shape, size limit, signature and its age, routing key, rate) and answers with the
 * real success or error code. A test can make the next answers of one path something else (a throttle, say).
 */
public final class FakeReceivers implements AutoCloseable {

    /** One request as received, and what it was answered. */
    public record Got(String kind, String path, Map<String, String> query, Map<String, String> headers, String body,
               long at, int status, String answer, boolean accepted) {

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** An answer: its status and body, and whether it took the message. */
    public record Answer(int status, String body, Map<String, String> headers, boolean ok) {

        public static Answer ok(int status, String body) {
            return new Answer(status, body, Map.of(), true);
        }

        public static Answer error(int status, String body) {
            return new Answer(status, body, Map.of(), false);
        }
    }

    public static final String DINGTALK_SECRET = "SECfake-dingtalk";
    public static final String FEISHU_SECRET = "fake-feishu";
    public static final String ROUTING_KEY = "R0UT1NGKEY0123456789012345678901";
    public static final String AUTHORIZATION = "GenieKey fake-webhook";
    private static final long HOUR_MILLIS = 3_600_000;

    private final HttpServer server;
    public final List<Got> got = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> next = new ConcurrentHashMap<>();

    public FakeReceivers() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.createContext("/cgi-bin/webhook/send", exchange -> serve(exchange, "wecom", this::weCom));
        server.createContext("/robot/send", exchange -> serve(exchange, "dingtalk", this::dingTalk));
        server.createContext("/open-apis/bot/v2/hook/", exchange -> serve(exchange, "feishu", this::feishu));
        server.createContext("/v2/enqueue", exchange -> serve(exchange, "pagerduty", this::pagerDuty));
        server.createContext("/workflows/", exchange -> serve(exchange, "teams", this::teams));
        server.createContext("/hook", exchange -> serve(exchange, "webhook", this::webhook));
        server.start();
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    /** The next {@code count} requests to this path are answered so, whatever they are. */
    public void answerNext(String path, int count, Answer answer) {
        Deque<Answer> queue = next.computeIfAbsent(path, p -> new ArrayDeque<>());
        synchronized (queue) {
            for (int i = 0; i < count; i++) {
                queue.add(answer);
            }
        }
    }

    public List<Got> of(String kind) {
        return got.stream().filter(g -> g.kind().equals(kind)).toList();
    }

    public List<Got> to(String path) {
        return got.stream().filter(g -> g.path().equals(path)).toList();
    }

    private void serve(HttpExchange exchange, String kind, Function<Got, Answer> judge) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream().collect(Collectors.toMap(
                e -> e.getKey().toLowerCase(), e -> String.join(",", e.getValue()), (a, b) -> a));
        String path = exchange.getRequestURI().getPath();
        Got request = new Got(kind, path, query(exchange.getRequestURI().getRawQuery()), headers, body,
                System.currentTimeMillis(), 0, "", false);
        Answer answer = null;
        Deque<Answer> queue = next.get(path);
        if (queue != null) {
            synchronized (queue) {
                answer = queue.poll();
            }
        }
        if (answer == null) {
            answer = judge.apply(request);
        }
        got.add(new Got(kind, path, request.query(), headers, body, request.at(), answer.status(), answer.body(),
                answer.ok()));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** WeCom: a removed key is 93000; markdown over 4096 bytes, text over 2048, is 45002; over 20 a minute, 45009. */
    private Answer weCom(Got request) {
        if ("removed".equals(request.query().get("key"))) {
            return Answer.error(200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url, hint: [1701]\"}");
        }
        long lastMinute = got.stream().filter(g -> g.kind().equals("wecom") && request.at() - g.at() < 60_000
                && g.query().equals(request.query()) && g.accepted())
                .count();
        if (lastMinute >= 20) {
            return Answer.error(200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}");
        }
        JsonNode json = request.json();
        String type = json.path("msgtype").asText();
        int limit = type.equals("markdown") ? 4096 : type.equals("text") ? 2048 : -1;
        String content = json.path(type).path("content").asText(null);
        if (limit < 0 || content == null || content.isEmpty()) {
            return Answer.error(200, "{\"errcode\":40008,\"errmsg\":\"invalid message type\"}");
        }
        if (content.getBytes(StandardCharsets.UTF_8).length > limit) {
            return Answer.error(200, "{\"errcode\":45002,\"errmsg\":\"content size out of limit\"}");
        }
        return Answer.ok(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    }

    /** DingTalk: the signature of "timestamp\nsecret", within an hour of now; a body of at most 20 000 bytes. */
    private Answer dingTalk(Got request) {
        String timestamp = request.query().get("timestamp");
        String sign = request.query().get("sign");
        if (timestamp == null || sign == null || Math.abs(System.currentTimeMillis() - Long.parseLong(timestamp))
                > HOUR_MILLIS || !sign.equals(hmac(DINGTALK_SECRET, timestamp + "\n" + DINGTALK_SECRET))) {
            return Answer.error(200, "{\"errcode\":310000,\"errmsg\":\"sign not match, more: [https://ding-doc]\"}");
        }
        if (request.body().getBytes(StandardCharsets.UTF_8).length > 20_000) {
            return Answer.error(200, "{\"errcode\":460101,\"errmsg\":\"message too long, exceed 20000 bytes\"}");
        }
        JsonNode json = request.json();
        if (!json.path("msgtype").asText().equals("markdown") || json.at("/markdown/title").asText().isEmpty()
                || json.at("/markdown/text").asText().isEmpty()) {
            return Answer.error(200, "{\"errcode\":400105,\"errmsg\":\"不支持的消息类型\"}");
        }
        return Answer.ok(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    }

    /** Feishu: the signature keyed with "timestamp\nsecret", within an hour; a body of at most 20 KB; a card. */
    private Answer feishu(Got request) {
        JsonNode json = request.json();
        String timestamp = json.path("timestamp").asText(null);
        if (timestamp == null || Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 3600
                || !json.path("sign").asText().equals(hmacOfNothing(timestamp + "\n" + FEISHU_SECRET))) {
            return Answer.error(200, "{\"code\":19021,\"msg\":\"sign match fail or timestamp is not within one hour"
                    + " from current time\"}");
        }
        if (request.body().getBytes(StandardCharsets.UTF_8).length > 20 * 1024) {
            return Answer.error(200, "{\"code\":9499,\"msg\":\"Bad Request\"}");
        }
        if (!json.path("msg_type").asText().equals("interactive") || json.at("/card/body/elements/0/content")
                .asText().isEmpty()) {
            return Answer.error(200, "{\"code\":9499,\"msg\":\"Bad Request\"}");
        }
        return Answer.ok(200, "{\"StatusCode\":0,\"StatusMessage\":\"success\",\"code\":0,\"msg\":\"success\"}");
    }

    /** PagerDuty: the routing key, an action, a dedup key; a trigger's summary of at most 1024 characters. */
    private Answer pagerDuty(Got request) {
        JsonNode json = request.json();
        String action = json.path("event_action").asText();
        boolean valid = ROUTING_KEY.equals(json.path("routing_key").asText())
                && List.of("trigger", "resolve").contains(action) && !json.path("dedup_key").asText().isEmpty()
                && json.path("dedup_key").asText().length() <= 255
                && (action.equals("resolve") || json.at("/payload/summary").asText().length() <= 1024
                && !json.at("/payload/summary").asText().isEmpty()
                && List.of("critical", "error", "warning", "info").contains(json.at("/payload/severity").asText())
                && !json.at("/payload/source").asText().isEmpty())
                && request.body().getBytes(StandardCharsets.UTF_8).length <= 512 * 1024;
        return valid ? Answer.ok(202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\""
                + json.path("dedup_key").asText() + "\"}")
                : Answer.error(400, "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\"}");
    }

    /** Teams Workflows: a message with an Adaptive Card attachment, at most 28 KB; 202. */
    private Answer teams(Got request) {
        if (request.body().getBytes(StandardCharsets.UTF_8).length > 28 * 1024) {
            return Answer.error(413, "{\"error\":\"payload too large\"}");
        }
        JsonNode json = request.json();
        boolean card = json.path("type").asText().equals("message") && json.at("/attachments/0/contentType").asText()
                .equals("application/vnd.microsoft.card.adaptive") && json.at("/attachments/0/content/type").asText()
                .equals("AdaptiveCard");
        return card ? Answer.ok(202, "") : Answer.error(400, "{\"error\":\"not an adaptive card\"}");
    }

    /** A JSON endpoint behind an Authorization header. */
    private Answer webhook(Got request) {
        if (!AUTHORIZATION.equals(request.headers().get("authorization"))) {
            return Answer.error(401, "{\"message\":\"unauthorized\"}");
        }
        request.json();
        return Answer.ok(202, "{\"result\":\"Request will be processed\"}");
    }

    private static Map<String, String> query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        return java.util.Arrays.stream(raw.split("&")).map(pair -> pair.split("=", 2)).collect(Collectors.toMap(
                pair -> pair[0], pair -> pair.length < 2 ? "" : URLDecoder.decode(pair[1], StandardCharsets.UTF_8),
                (a, b) -> b));
    }

    private static String hmac(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmacOfNothing(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
