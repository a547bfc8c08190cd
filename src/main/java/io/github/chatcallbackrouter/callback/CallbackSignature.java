package io.github.chatcallbackrouter.callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

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
    public static boolean matches(String token, String requestTime, String sign) {
        byte[] expected = sign(token, requestTime).getBytes(StandardCharsets.US_ASCII);
        byte[] given = sign.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
