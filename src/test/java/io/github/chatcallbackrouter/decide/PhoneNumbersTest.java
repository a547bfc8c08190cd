package io.github.chatcallbackrouter.decide;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhoneNumbersTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "13812345678|138****5678",
        "call 138-1234-5678 now|call 138-****-5678 now",
        "+86 138 1234 5678|+86 1** **** 5678",
        "+44 20 7946 0958|+44 2* **** 0958",
        "order 1234567 shipped|order 1234567 shipped",
        "room 12, floor 3|room 12, floor 3",
        "1234567812345678|1234567812345678",
        "two: 13812345678, 13987654321|two: 138****5678, 139****4321"})
    void masksPhoneNumbersButTheirFirstThreeAndLastFourDigits(String text, String masked) {
        assertThat(PhoneNumbers.mask(text)).isEqualTo(masked);
    }
}
