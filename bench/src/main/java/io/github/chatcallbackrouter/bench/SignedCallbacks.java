package io.github.chatcallbackrouter.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Callbacks as Chat sends them: a sample body (the router's src/main/resources/samples/) and the query Chat appends
 * (SdkAppid, CallbackCommand, contenttype, ClientIP, OptPlatform) with, webhook authentication on, {@code Sign =
 * lower-hex(sha256(token + RequestTime))} and RequestTime = now in seconds
 * (https://www.tencentcloud.com/document/product/1047/34354). The signature is computed once per second, so every
 * request carries a RequestTime at most a second old.
 */
final class SignedCallbacks {

    static final String TOKEN = "bench-token-not-a-secret";
    static final String SDKAPPID = "1400000000";
    static final String PATH = "/tencent/callback";
    static final String OVER_LIMIT = "Alert.RequestOverLimit";
    static final String BEFORE = "C2C.CallbackBeforeSendMsg";

    /** One cycle of the load mix: ordinary after-callbacks mostly, one before-callback, no alarm. */
    private static final List<String> MIX = List.of(
            "State.StateChange", "State.StateChange", "State.StateChange", "State.StateChange",
            "Group.CallbackAfterNewMemberJoin", "Group.CallbackAfterNewMemberJoin",
            "Group.CallbackAfterNewMemberJoin", "Group.CallbackSendMsgException", "Group.CallbackSendMsgException",
            "C2C.CallbackBeforeSendMsg");

    /** A body of the mix: command word and bytes. */
    record Callback(String command, Buffer body) {
    }

    private final List<Callback> mix = new ArrayList<>();
    private final JsonObject overLimitSample;
    private final Map<String, String> queries = new LinkedHashMap<>();
    private long signedSecond = -1;

    SignedCallbacks() {
        Map<String, Buffer> bodies = new LinkedHashMap<>();
        for (String command : MIX) {
            bodies.computeIfAbsent(command, c -> sample(c).toBuffer());
            mix.add(new Callback(command, bodies.get(command)));
        }
        overLimitSample = sample(OVER_LIMIT);
    }

    /** Mix commands and their share of requests, for the report. */
    static String mixDescription() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        MIX.forEach(command -> counts.merge(command, 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((command, n) -> parts.add(command + " " + (n * 100 / MIX.size()) + " %"));
        return String.join(", ", parts);
    }

    /** The load mix. */
    Workload mix() {
        return workload(mix);
    }

    /** The mix without its Before-callback (what the relay phase does not relay). */
    Workload notBefore() {
        return workload(mix.stream().filter(c -> !c.command().equals(BEFORE)).toList());
    }

    /** The Before-callback of the mix alone, the one the relay phase relays. */
    Workload before() {
        return workload(mix.stream().filter(c -> c.command().equals(BEFORE)).limit(1).toList());
    }

    /** One command word of the mix alone. */
    Workload only(String command) {
        return workload(mix.stream().filter(c -> c.command().equals(command)).limit(1).toList());
    }

    private Workload workload(List<Callback> callbacks) {
        return new Workload() {
            @Override
            public List<Request> cycle() {
                return callbacks.stream().map(c -> new Request(uri(c.command()), c.body())).toList();
            }

            @Override
            public boolean isOk(int status, String body) {
                return Ack.isOk(status, body);
            }
        };
    }

    /**
     * An over-limit alarm whose grouping key (SDKAppID + ServiceName + Command) is its own, so the router's
     * folding holds none back; the Slack message carries the Command, {@code bench_alarm_N}.
     */
    Buffer overLimitAlarm(int n) {
        return overLimitSample.copy().put("Command", FakeSlack.MARKER + n).toBuffer();
    }

    /** Path and signed query for the command, RequestTime = this second. */
    synchronized String uri(String command) {
        long second = System.currentTimeMillis() / 1000;
        if (second != signedSecond) {
            queries.clear();
            signedSecond = second;
        }
        return queries.computeIfAbsent(command, c -> PATH + "?SdkAppid=" + SDKAPPID + "&CallbackCommand=" + c
                + "&contenttype=json"
                + (c.equals(OVER_LIMIT) ? "&OptPlatform=RESTAPI" : "&ClientIP=10.0.0.7&OptPlatform=iOS")
                + "&Sign=" + sign(TOKEN, String.valueOf(second)) + "&RequestTime=" + second);
    }

    static String sign(String token, String requestTime) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((token + requestTime).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** A sample body from Tencent's docs: the router's own src/main/resources/samples (see bench/pom.xml). */
    private static JsonObject sample(String command) {
        try (InputStream in = SignedCallbacks.class.getResourceAsStream("/samples/" + command + ".json")) {
            if (in == null) {
                throw new IllegalStateException("no sample for " + command);
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
