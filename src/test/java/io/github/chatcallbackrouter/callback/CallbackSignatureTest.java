package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallbackSignatureTest {

    /** The test vector of Tencent's webhook overview (PROTOCOL.md §1.6). */
    @Test
    void signsTheDocumentedVector() {
        assertThat(CallbackSignature.sign("xxxxyyyy", "1669872112"))
                .isEqualTo("17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061");
    }

    @Test
    void acceptsTheDocumentedSignatureInEitherCase() {
        String sign = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";
        assertThat(new CallbackSignature.Verifier("xxxxyyyy").matches("1669872112", sign)).isTrue();
        assertThat(new CallbackSignature.Verifier("xxxxyyyy").matches("1669872112", sign.toUpperCase())).isTrue();
    }

    @Test
    void refusesAnotherTokenTimeOrTruncatedSignature() {
        String sign = CallbackSignature.sign("xxxxyyyy", "1669872112");
        assertThat(new CallbackSignature.Verifier("xxxyyy").matches("1669872112", sign)).isFalse();
        assertThat(new CallbackSignature.Verifier("xxxxyyyy").matches("1669872113", sign)).isFalse();
        assertThat(new CallbackSignature.Verifier("xxxxyyyy").matches("1669872112", sign.substring(0, 63))).isFalse();
        assertThat(new CallbackSignature.Verifier("xxxxyyyy").matches("1669872112", "")).isFalse();
    }

    @Test
    void aRememberedSignatureStillChecksEachRequest() {
        CallbackSignature.Verifier verifier = new CallbackSignature.Verifier("xxxxyyyy");
        String sign = CallbackSignature.sign("xxxxyyyy", "1669872112");
        assertThat(verifier.matches("1669872112", sign)).isTrue();
        // the same second again: a wrong Sign is still refused, the right one still accepted
        assertThat(verifier.matches("1669872112", "0" + sign.substring(1))).isFalse();
        assertThat(verifier.matches("1669872112", sign)).isTrue();
        // many seconds later, after the memory was cleared, still right
        for (int second = 0; second < 100; second++) {
            verifier.matches(String.valueOf(1669872200 + second), sign);
        }
        assertThat(verifier.matches("1669872112", sign)).isTrue();
        assertThat(verifier.matches("1669872113", sign)).isFalse();
    }
}
