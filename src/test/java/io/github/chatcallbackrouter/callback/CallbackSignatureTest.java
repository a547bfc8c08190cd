package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallbackSignatureTest {

    /** The test vector of Tencent's webhook overview (https://www.tencentcloud.com/document/product/1047/34354). */
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

    @org.junit.jupiter.api.Test
    void aLateRelayIsSignedAfreshKeepingEveryOtherParameter() {
        String chat = "SdkAppid=1400000000&CallbackCommand=State.StateChange&contenttype=json&ClientIP=1.2.3.4"
                + "&OptPlatform=iOS&Sign=" + CallbackSignature.sign("tok", "100") + "&RequestTime=100";

        String late = CallbackSignature.resign(chat, "tok", 1796000000L);

        assertThat(late).isEqualTo("SdkAppid=1400000000&CallbackCommand=State.StateChange&contenttype=json"
                + "&ClientIP=1.2.3.4&OptPlatform=iOS&Sign=" + CallbackSignature.sign("tok", "1796000000")
                + "&RequestTime=1796000000");
        assertThat(CallbackSignature.resign("SdkAppid=1&CallbackCommand=X", "tok", 5)).isEqualTo(
                "SdkAppid=1&CallbackCommand=X");
        assertThat(CallbackSignature.resign(chat, "", 5)).isEqualTo(chat);
    }
}
