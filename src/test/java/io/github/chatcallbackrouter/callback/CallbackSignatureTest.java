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
        assertThat(CallbackSignature.matches("xxxxyyyy", "1669872112", sign)).isTrue();
        assertThat(CallbackSignature.matches("xxxxyyyy", "1669872112", sign.toUpperCase())).isTrue();
    }

    @Test
    void refusesAnotherTokenTimeOrTruncatedSignature() {
        String sign = CallbackSignature.sign("xxxxyyyy", "1669872112");
        assertThat(CallbackSignature.matches("xxxyyy", "1669872112", sign)).isFalse();
        assertThat(CallbackSignature.matches("xxxxyyyy", "1669872113", sign)).isFalse();
        assertThat(CallbackSignature.matches("xxxxyyyy", "1669872112", sign.substring(0, 63))).isFalse();
        assertThat(CallbackSignature.matches("xxxxyyyy", "1669872112", "")).isFalse();
    }
}
