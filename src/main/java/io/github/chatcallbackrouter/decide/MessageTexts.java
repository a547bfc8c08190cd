package io.github.chatcallbackrouter.decide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import io.github.chatcallbackrouter.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The text of a message callback: the {@code Text} of each {@code TIMTextElem} in its {@code MsgBody} (Tencent's
 * message elements, https://www.tencentcloud.com/document/product/1047/33527).
 */
final class MessageTexts {

    private MessageTexts() {
    }

    static List<String> of(CallbackEvent event) {
        List<String> texts = new ArrayList<>();
        for (JsonNode element : event.payload().path("MsgBody")) {
            if ("TIMTextElem".equals(element.path("MsgType").asText())) {
                texts.add(element.path("MsgContent").path("Text").asText(""));
            }
        }
        return texts;
    }

    /** A copy of the MsgBody with each text element's Text changed; the other elements as they were. */
    static ArrayNode replaced(CallbackEvent event, UnaryOperator<String> change) {
        ArrayNode body = event.payload().path("MsgBody").isArray()
                ? ((ArrayNode) event.payload().get("MsgBody")).deepCopy()
                : Json.MAPPER.createArrayNode();
        for (JsonNode element : body) {
            if ("TIMTextElem".equals(element.path("MsgType").asText())
                    && element.path("MsgContent").isObject()) {
                ObjectNode content = (ObjectNode) element.get("MsgContent");
                content.put("Text", change.apply(content.path("Text").asText("")));
            }
        }
        return body;
    }
}
