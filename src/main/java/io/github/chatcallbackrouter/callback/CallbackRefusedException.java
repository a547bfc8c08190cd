package io.github.chatcallbackrouter.callback;

/** Thrown by the intake when a callback is refused; the ingest route turns it into Tencent's FAIL answer. */
public final class CallbackRefusedException extends RuntimeException {

    private final Refusal refusal;

    CallbackRefusedException(Refusal refusal, String reason) {
        // no stack trace: a refusal is an answer, not a bug, and refusals can come in floods
        super(reason, null, false, false);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
