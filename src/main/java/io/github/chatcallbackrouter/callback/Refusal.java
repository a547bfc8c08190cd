package io.github.chatcallbackrouter.callback;

/**
 * Every way the router can refuse a callback: the HTTP status, the non-zero {@code ErrorCode} of the FAIL answer
 * (status x 100 + a sequence number, so the code alone tells the reason) and the metric label.
 */
public enum Refusal {
    MALFORMED_REQUEST(400, 40001, "malformed_request"),
    COMMAND_MISMATCH(400, 40003, "command_mismatch"),
    EMPTY_BODY(400, 40004, "empty_body"),
    MALFORMED_JSON(400, 40005, "malformed_json"),
    NOT_A_JSON_OBJECT(400, 40006, "not_a_json_object"),
    MISSING_SIGNATURE(401, 40101, "missing_signature"),
    BAD_SIGNATURE(401, 40102, "bad_signature"),
    STALE_REQUEST_TIME(401, 40103, "stale_request_time"),
    UNKNOWN_SDKAPPID(403, 40301, "unknown_sdkappid"),
    SOURCE_NOT_ALLOWED(403, 40302, "source_not_allowed"),
    NOT_FOUND(404, 40401, "not_found"),
    METHOD_NOT_ALLOWED(405, 40501, "method_not_allowed"),
    REQUEST_TIMEOUT(408, 40801, "request_timeout"),
    BODY_TOO_LARGE(413, 41301, "body_too_large"),
    INTERNAL_ERROR(500, 50001, "internal_error"),
    OVERLOADED(503, 50301, "overloaded"),
    BUFFERS_FULL(503, 50302, "buffers_full"),
    UNAVAILABLE(503, 50303, "unavailable"),
    ALARM_NOT_KEPT(503, 50304, "alarm_not_kept"),
    OUTBOX_FULL(503, 50305, "outbox_full");

    private final int httpStatus;
    private final int errorCode;
    private final String label;

    Refusal(int httpStatus, int errorCode, String label) {
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.label = label;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** Short snake_case name for logs and metric labels. */
    public String label() {
        return label;
    }

    /** The exception that carries this refusal, with the reason a human reads in ErrorInfo. */
    public CallbackRefusedException because(String reason) {
        return new CallbackRefusedException(this, reason);
    }
}
