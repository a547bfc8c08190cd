package io.github.chatcallbackrouter.decide;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import io.github.chatcallbackrouter.support.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Phone numbers as a reader sees them: in any digit script, through invisible characters, in any text field. */
class PhoneNumbersTest {

    private final PhoneNumbers numbers = new PhoneNumbers();

    /** A message of text elements, one per text. */
    static CallbackEvent message(String... texts) {
        ArrayNode body = Json.MAPPER.createArrayNode();
        for (String text : texts) {
            body.addObject().put("MsgType", "TIMTextElem").putObject("MsgContent").put("Text", text);
        }
        return event(body);
    }

    static CallbackEvent event(ArrayNode body) {
        ObjectNode payload = Json.MAPPER.createObjectNode().put("CallbackCommand", "C2C.CallbackBeforeSendMsg");
        payload.set("MsgBody", body);
        return new CallbackEvent("e-1", "1400000000", "C2C.CallbackBeforeSendMsg", "before", "iOS", "10.0.0.7",
                "2026-12-01T00:00:00Z", payload, "1400000000", null);
    }

    private List<String> masked(CallbackEvent event) {
        List<String> texts = new ArrayList<>();
        for (JsonNode element : numbers.masked(event)) {
            JsonNode content = element.path("MsgContent");
            content.fieldNames().forEachRemaining(field -> texts.add(content.get(field).asText()));
        }
        return texts;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "13812345678|138****5678",
        "call 138-1234-5678 now|call 138-****-5678 now",
        "+86 138 1234 5678|+86 1** **** 5678",
        "+44 20 7946 0958|+44 2* **** 0958",
        "order 1234567 shipped|order 1234567 shipped",
        "room 12, floor 3|room 12, floor 3",
        "1234567812345678|1234567812345678",
        "two: 13812345678, 13987654321|two: 138****5678, 139****4321",
        "１３８１２３４５６７８|１３８****５６７８",
        "٠١٣٨١٢٣٤٥٦٧٨|٠١٣*****٥٦٧٨",
        "138\u200B12345678|138\u200B****5678",
        "1 1 1 1 1 1 1 1 1|1 1 1 1 1 1 1 1 1"})
    void masksPhoneNumbersButTheirFirstThreeAndLastFourDigits(String text, String masked) {
        assertThat(masked(message(text))).containsExactly(masked);
        assertThat(numbers.found(message(text))).isEqualTo(!text.equals(masked));
    }

    @Test
    void aNumberSplitOverTwoTextElementsIsFoundAndMaskedInBoth() {
        assertThat(masked(message("call me: 138 1234", "5678 tonight")))
                .containsExactly("call me: 138 ****", "5678 tonight");
    }

    @Test
    void aNumberInACustomElementIsFoundAndMasked() {
        ArrayNode body = Json.MAPPER.createArrayNode();
        body.addObject().put("MsgType", "TIMCustomElem").putObject("MsgContent").put("Data", "{}")
                .put("Desc", "call 13812345678").put("Ext", "");
        assertThat(numbers.found(event(body))).isTrue();
        assertThat(masked(event(body))).contains("call 138****5678");
    }
}
