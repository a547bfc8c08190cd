package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SourceAddressesTest {

    static Stream<Arguments> cases() {
        String tencent = "127.0.0.2, 183.192.202.0/25, 2402:4e00::/32";
        return Stream.of(
                Arguments.of("", "203.0.113.9", true),
                Arguments.of(tencent, "127.0.0.2", true),
                Arguments.of(tencent, "127.0.0.3", false),
                Arguments.of(tencent, "183.192.202.0", true),
                Arguments.of(tencent, "183.192.202.127", true),
                Arguments.of(tencent, "183.192.202.128", false),
                Arguments.of(tencent, "2402:4e00:1::5", true),
                Arguments.of(tencent, "2402:4e01::5", false),
                Arguments.of("0.0.0.0/0", "198.51.100.1", true),
                Arguments.of("10.0.0.0/8", "::ffff:10.1.2.3", true));
    }

    @ParameterizedTest(name = "[{0}] allows {1}: {2}")
    @MethodSource("cases")
    void matchesSingleAddressesAndCidrRanges(String list, String address, boolean allowed) throws Exception {
        assertThat(SourceAddresses.parse(list).allows(InetAddress.getByName(address))).isEqualTo(allowed);
    }

    @Test
    void refusesWhatIsNotAnAddressNamingTheEntry() {
        assertThatThrownBy(() -> SourceAddresses.parse("10.0.0.0/8, tencent.com"))
                .hasMessageContaining("'tencent.com' is not an IP address or range");
        assertThatThrownBy(() -> SourceAddresses.parse("10.0.0.0/33"))
                .hasMessageContaining("prefix length outside 0..32");
    }
}
