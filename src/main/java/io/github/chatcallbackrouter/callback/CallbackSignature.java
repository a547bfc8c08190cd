package io.github.chatcallbackrouter.callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tencent Cloud Chat webhook authentication: {@code Sign = lower-hex(sha256(token + RequestTime))}
 * (PROTOCOL.md §1.6). Only the token and the timestamp are signed, not the body.
 */
public final class CallbackSignature {

    private CallbackSignature() {
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
