package io.github.chatcallbackrouter.callback;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tencent Cloud Chat webhook authentication: {@code Sign = lower-hex(sha256(token + RequestTime))}, as Tencent's
 * webhook documentation describes it (https://www.tencentcloud.com/document/product/1047/34354). Only the token and
 * the timestamp are signed, not the body.
 */
public final class CallbackSignature {

    private CallbackSignature() {
    }

    /**
     * The query Chat sends a callback with, from a server of its own (ClientIP 127.0.0.1, OptPlatform RESTAPI),
     * signed at {@code requestTime} when there is a token; for send-test and explain.
     */
    public static String query(String sdkAppId, String command, String token, long requestTime) {
        return "SdkAppid=" + encode(sdkAppId) + "&CallbackCommand=" + encode(command)
                + "&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI"
                + (token.isEmpty() ? "" : "&Sign=" + sign(token, String.valueOf(requestTime))
                + "&RequestTime=" + requestTime);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The signature Chat sends for this token and RequestTime. */
    public static String sign(String token, String requestTime) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha256.digest((token + requestTime).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * The raw query Chat sent, with its {@code RequestTime} and {@code Sign} made afresh for {@code now} (seconds):
     * what a receiver that checks Sign and freshness accepts when the callback is relayed to it late. The other
     * parameters and their order stay as they were; a query without a Sign (authentication off) is returned as is.
     */
    public static String resign(String rawQuery, String token, long now) {
        if (token == null || token.isEmpty() || rawQuery == null) {
            return rawQuery;
        }
        String time = String.valueOf(now);
        StringBuilder query = new StringBuilder(rawQuery.length());
        boolean signed = false;
        for (String pair : rawQuery.split("&", -1)) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (name.equalsIgnoreCase("RequestTime")) {
                pair = name + "=" + time;
            } else if (name.equalsIgnoreCase("Sign")) {
                pair = name + "=" + sign(token, time);
                signed = true;
            }
            query.append(query.length() == 0 ? "" : "&").append(pair);
        }
        return signed ? query.toString() : rawQuery;
    }

    /** Constant-time comparison, so the time taken tells an attacker nothing about how much of a guess was right. */
    private static boolean equalInConstantTime(String expected, String sign) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                sign.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Checks signatures for one token, remembering the expected Sign of recent RequestTimes: Chat sends every
     * callback of a second with the same RequestTime, so the SHA-256 is computed about once a second instead of
     * once a callback (it was 5% of a callback's CPU).
     */
    public static final class Verifier {

        private static final int REMEMBERED = 64;

        private final String token;
        private final Map<String, String> expected = new ConcurrentHashMap<>();

        public Verifier(String token) {
            this.token = token;
        }

        public boolean matches(String requestTime, String sign) {
            if (expected.size() >= REMEMBERED) {
                expected.clear(); // many distinct RequestTimes: old seconds, or someone guessing; start again
            }
            return equalInConstantTime(expected.computeIfAbsent(requestTime, time -> sign(token, time)), sign);
        }
    }
}
