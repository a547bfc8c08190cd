package io.github.chatcallbackrouter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextTest {

    static Stream<Arguments> cuts() {
        String emoji = "\uD83D\uDD34"; // one character, two UTF-16 units
        return Stream.of(
                Arguments.of("short text stays", "abc", 5, "abc"),
                Arguments.of("exactly the limit stays", "abcde", 5, "abcde"),
                Arguments.of("longer is cut with an ellipsis", "abcdef", 5, "abcd…"),
                Arguments.of("a pair that would be split is dropped whole", "abc" + emoji + "xyz", 5, "abc…"),
                Arguments.of("a pair that fits is kept", "ab" + emoji + "xyz", 5, "ab" + emoji + "…"),
                Arguments.of("all pairs", emoji.repeat(10), 6, emoji.repeat(2) + "…"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuts")
    void cutsAtTheLimitWithoutBreakingACharacter(String name, String text, int max, String expected)
            throws CharacterCodingException {
        String cut = Text.truncate(text, max);

        assertThat(cut).isEqualTo(expected);
        assertThat(cut.length()).isLessThanOrEqualTo(max);
        // valid UTF-16: encodes to UTF-8 without a lone surrogate
        StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).encode(java.nio.CharBuffer.wrap(cut));
    }

    @Test
    void logTextIsOneBoundedLine() {
        assertThat(LogText.of("openim\n2026-12-01 ERROR forged\r\tline")).isEqualTo("openim_2026-12-01 ERROR forged__line");
        assertThat(LogText.of("x".repeat(1000))).hasSize(120).endsWith("…");
        assertThat(LogText.of(null)).isEqualTo("-");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("byteCuts")
    void cutsToABudgetOfUtf8BytesOnACharacterBoundaryAndSaysSo(String name, String text, int maxBytes,
                                                                String expected) {
        String cut = Text.truncateUtf8(text, maxBytes);

        assertThat(cut).isEqualTo(expected);
        assertThat(Text.utf8Length(cut)).isLessThanOrEqualTo(maxBytes);
    }

    static Stream<Arguments> byteCuts() {
        int cutBytes = Text.utf8Length(Text.CUT); // "… (cut)": 3 + 6
        return Stream.of(
                Arguments.of("what fits stays", "告警", 6, "告警"),
                Arguments.of("Chinese counts three bytes a character", "告警告警告警", cutBytes + 7, "告警" + Text.CUT),
                Arguments.of("ASCII one", "abcdefghijklmnopqrstuvwxyz", cutBytes + 4, "abcd" + Text.CUT),
                Arguments.of("an emoji is four, never split", "a\uD83D\uDD34b".repeat(3), cutBytes + 4,
                        "a" + Text.CUT));
    }
}
