package io.github.chatcallbackrouter.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.TestClock;
import io.github.chatcallbackrouter.journal.Spool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one folding rule, on a clock the test moves: the first alarm of a key goes out, its repeats in the window
 * are counted, the window's end gives one summary with the count and the peak; per channel; across a restart.
 */
class AlertGrouperTest {

    @TempDir
    Path groups;
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private int events;

    private AlertGrouper grouper() {
        AlertGrouper grouper = new AlertGrouper(clock);
        grouper.setSpool(Spool.of(groups, AlertGroup.class));
        grouper.setWindow("5m");
        return grouper;
    }

    private Alert alarm(String api, long observed) {
        return new Alert("e-" + ++events, "api-over-limit", "critical", "Over its rate limit: " + api, "1400000000", null,
                "Alert.RequestOverLimit", api, null, null, observed, 200L, "QPS", observed / 2.0, null,
                clock.instant().toString(), "[\"1400000000\",\"" + api + "\"]", null, null, null, null);
    }

    @Test
    void theFirstGoesOutTheRepeatsAreCountedAndTheWindowsEndSummarisesThem() {
        AlertGrouper grouper = grouper();

        assertThat(grouper.admit(alarm("openim/sendmsg", 300), null)).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(grouper.admit(alarm("openim/sendmsg", 450), null)).isFalse();
        assertThat(grouper.admit(alarm("openim/sendmsg", 320), null)).isFalse();
        assertThat(grouper.admit(alarm("openim/batchsendmsg", 300), null)).as("another key").isTrue();
        assertThat(grouper.closeExpired()).isEmpty();

        clock.advance(Duration.ofMinutes(4));
        assertThat(grouper.closeExpired()).singleElement().satisfies(group -> {
            assertThat(group.what()).isEqualTo("openim/sendmsg");
            assertThat(group.repeats()).isEqualTo(2);
            assertThat(group.peakObserved()).isEqualTo(450);
            assertThat(group.channelName()).isEqualTo("slack");
        });
        assertThat(grouper.admit(alarm("openim/sendmsg", 300), null)).as("a new window").isTrue();
    }

    @Test
    void anAlarmAfterTheWindowOpensANewOneAndTheOldOneIsStillSummarised() {
        AlertGrouper grouper = grouper();
        grouper.admit(alarm("openim/sendmsg", 300), null);
        grouper.admit(alarm("openim/sendmsg", 300), null);

        clock.advance(Duration.ofMinutes(6));
        assertThat(grouper.admit(alarm("openim/sendmsg", 300), null)).isTrue();

        assertThat(grouper.closeExpired()).extracting(AlertGroup::repeats).containsExactly(1);
    }

    @Test
    void eachChannelFoldsItsOwnAndTheOpeningAlarmReplayedGoesOutAgain() {
        AlertGrouper grouper = grouper();
        Alert first = alarm("openim/sendmsg", 300);

        assertThat(grouper.admit(first, null)).isTrue();
        assertThat(grouper.admit(first, "oncall")).isTrue();
        assertThat(grouper.admit(first, null)).as("replayed after a crash: it may not have gone out").isTrue();
        Alert repeat = alarm("openim/sendmsg", 310);
        assertThat(grouper.admit(repeat, null)).isFalse();
        assertThat(grouper.admit(repeat, "oncall")).isFalse();

        clock.advance(Duration.ofMinutes(5));
        assertThat(grouper.closeExpired()).extracting(AlertGroup::channelName)
                .containsExactlyInAnyOrder("slack", "oncall");
    }

    @Test
    void theCountSurvivesARestart() {
        AlertGrouper before = grouper();
        before.admit(alarm("openim/sendmsg", 300), null);
        before.admit(alarm("openim/sendmsg", 999), null);

        AlertGrouper after = grouper();
        assertThat(after.admit(alarm("openim/sendmsg", 300), null)).isFalse();
        clock.advance(Duration.ofMinutes(5));

        assertThat(after.closeExpired()).singleElement().satisfies(group -> {
            assertThat(group.repeats()).isEqualTo(2);
            assertThat(group.peakObserved()).isEqualTo(999);
        });
        assertThat(grouper().closeExpired()).as("closed groups are gone from disk").isEmpty();
    }

    @Test
    void aWindowOfZeroFoldsNothing() {
        AlertGrouper grouper = grouper();
        grouper.setWindow("0");

        assertThat(grouper.admit(alarm("openim/sendmsg", 300), null)).isTrue();
        assertThat(grouper.admit(alarm("openim/sendmsg", 300), null)).isTrue();
    }

    @Test
    void anAlarmRoutedAgainIsCountedOnceAndADiskThatRefusesTheGroupsLeavesThemInMemory() throws Exception {
        AlertGrouper grouper = grouper();
        assertThat(grouper.admit(alarm("openim/sendmsg", 300), null)).isTrue();
        Alert repeat = alarm("openim/sendmsg", 400);
        // the disk goes: a file where the groups' directory was
        java.nio.file.Files.walk(groups).sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        java.nio.file.Files.writeString(groups, "not a directory");

        assertThat(grouper.admit(repeat, null)).isFalse();
        assertThat(grouper.admit(repeat, null)).as("routed again after its rules failed").isFalse();

        clock.advance(Duration.ofMinutes(5));
        assertThat(grouper.closeExpired()).singleElement().satisfies(group ->
                assertThat(group.repeats()).isEqualTo(1));
    }
}
