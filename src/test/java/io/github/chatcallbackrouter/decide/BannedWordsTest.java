package io.github.chatcallbackrouter.decide;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import io.github.chatcallbackrouter.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Banned words as a reader reads them: each way a sender could hide one from a byte comparison is caught. */
class BannedWordsTest {

    @TempDir
    Path directory;
    private final BannedWords banned = new BannedWords();

    @BeforeEach
    void aList() throws Exception {
        Path file = Files.writeString(directory.resolve("banned-words.txt"), "# test\nspam\nfree crypto\n");
        banned.setFile(file.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "plain|buy spam now|true",
        "upper and full width|ＳＰＡＭ|true",
        "zero-width joiner|sp\u200Dam|true",
        "zero-width space|sp\u200Bam|true",
        "soft hyphen|sp\u00ADam|true",
        "combining accent|spa\u0301m|true",
        "Cyrillic a|spаm|true",
        "Greek omicron in a phrase|free crypt\u03BF|true",
        "two spaces in a phrase|free  crypto|true",
        "a line break in a phrase|'free\ncrypto'|true",
        "a tab in a phrase|'free\tcrypto'|true",
        "nothing banned|a spa for a cryptographer|false",
        "a word beside another|freely crypto|false"})
    void aHiddenWordIsStillFound(String how, String text, boolean found) {
        assertThat(banned.matches(PhoneNumbersTest.message(text))).as(how).isEqualTo(found);
    }

    @Test
    void aWordSplitOverTwoTextElementsIsFound() {
        assertThat(banned.matches(PhoneNumbersTest.message("sp", "am"))).isTrue();
        assertThat(banned.matches(PhoneNumbersTest.message("free", "crypto"))).isTrue();
    }

    @Test
    void everyTextFieldAndCloudCustomDataAreRead() {
        for (String field : new String[] {"Data", "Desc", "Ext"}) {
            ArrayNode body = Json.MAPPER.createArrayNode();
            body.addObject().put("MsgType", "TIMCustomElem").putObject("MsgContent").put(field, "cheap SPAM here");
            assertThat(banned.matches(PhoneNumbersTest.event(body))).as(field).isTrue();
        }
        CallbackEvent event = PhoneNumbersTest.message("hello");
        ((ObjectNode) event.payload()).put("CloudCustomData", "{\"note\":\"spam\"}");
        assertThat(banned.matches(event)).as("CloudCustomData").isTrue();
    }
}
