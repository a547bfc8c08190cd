package io.github.chatcallbackrouter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedLogTest {

    private final AtomicLong now = new AtomicLong();
    private final BoundedLog log = new BoundedLog(3, Duration.ofSeconds(1), now::get);

    @Test
    void aBurstThenOneLinePerIntervalSayingHowManyWereLeftOut() {
        assertThat(log.admit("bad_signature")).isEqualTo("");
        assertThat(log.admit("bad_signature")).isEqualTo("");
        assertThat(log.admit("bad_signature")).isEqualTo("");
        for (int i = 0; i < 997; i++) {
            assertThat(log.admit("bad_signature")).isNull();
        }

        now.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(log.admit("bad_signature")).isEqualTo(" (and 997 more like it before this, not logged)");
        assertThat(log.admit("bad_signature")).isNull();
    }

    @Test
    void eachKindHasItsOwnBound() {
        for (int i = 0; i < 3; i++) {
            log.admit("bad_signature");
        }
        assertThat(log.admit("bad_signature")).isNull();

        assertThat(log.admit("unknown_sdkappid")).isEqualTo("");
    }
}
