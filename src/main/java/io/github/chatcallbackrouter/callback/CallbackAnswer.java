package io.github.chatcallbackrouter.callback;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.support.Json;

/** The JSON bodies Chat expects back (https://www.tencentcloud.com/document/product/1047/34354). */
public final class CallbackAnswer {

    /** Accepted; for Before-callbacks ErrorCode 0 means "allow". */
    public static final String OK = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";

    private CallbackAnswer() {
    }

    public static String fail(Refusal refusal, String reason) {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("ActionStatus", "FAIL");
        answer.put("ErrorCode", refusal.errorCode());
        answer.put("ErrorInfo", reason);
        return answer.toString();
    }
}
