package io.github.chatcallbackrouter.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.LogCapture;
import io.github.chatcallbackrouter.TestClock;
import io.github.chatcallbackrouter.journal.Spool;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a silence matches, and the requests {@code silence add} refuses with a reason. */
class SilencesTest {

    @TempDir
    Path dataDir;
    private Silences silences;

    @BeforeEach
    void silencesInTheDataDirectory() {
        silences = new Silences();
        silences.setDefinitions(Spool.of(dataDir.resolve("silences"), Silence.class));
        silences.setHidden(Spool.of(dataDir.resolve("silenced"), SilencedAlarms.class));
    }

    @ParameterizedTest(name = "{0} {1} {2} matches {3} {4} {5}: {6}")
    @CsvSource(nullValues = "-", value = {
        "openim/batchsendmsg, -,          -,                      openim/batchsendmsg, 1400000000, Alert.RequestOverLimit, true",
        "openim/batchsendmsg, -,          -,                      openim/sendmsg,      1400000000, Alert.RequestOverLimit, false",
        "openim/*,            -,          -,                      openim/sendmsg,      1400000000, Alert.RequestOverLimit, true",
        "openim/*,            -,          -,                      group_open_http_svc/send_group_msg, 1400000000, Alert.RequestOverLimit, false",
        "openim/batchsendmsg, 1400000001, -,                      openim/batchsendmsg, 1400000000, Alert.RequestOverLimit, false",
        "-,                   1400000000, -,                      openim/batchsendmsg, 1400000000, Alert.RequestOverLimit, true",
        "-,                   -,          Group.CallbackOnDailyGroupQuotaAlarm, -,     1400000000, Group.CallbackOnDailyGroupQuotaAlarm, true",
        "openim/*,            -,          -,                      -,                   1400000000, Group.CallbackOnDailyGroupQuotaAlarm, false",
    })
    void matches(String api, String sdkAppId, String command, String alarmApi, String alarmApp, String alarmCommand,
                 boolean expected) {
        Silence silence = new Silence("s-1", api, sdkAppId, command, "2026-01-01T00:00:00Z", "2999-01-01T00:00:00Z",
                "why", "me");
        Alert alert = new Alert("e-1", "api-over-limit", "critical", "t", alarmApp, null, alarmCommand, alarmApi, null,
                null, 300L, 200L, "QPS", 150.0, null, "2026-12-01T00:00:00Z", "k", null, null, null, null);

        assertThat(silence.matches(alert)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{5}")
    @CsvSource(nullValues = "-", value = {
        "-,              -,     -,                     2h,  why, say what to silence",
        "openim,         -,     -,                     2h,  why, a REST API as ServiceName/Command",
        "-,              -,     State.StateChange,     2h,  why, silences are for alarms",
        "-,              abc,   -,                     2h,  why, an SDKAppID is a number",
        "openim/sendmsg, -,     -,                     2x,  why, such as 30m, 2h or 1d",
        "openim/sendmsg, -,     -,                     -,   why, such as 30m, 2h or 1d",
        "openim/sendmsg, -,     -,                     2h,  ' ', say why",
    })
    void aRequestThatCannotBeASilenceIsRefusedSayingWhy(String api, String sdkAppId, String command, String duration,
                                                         String reason, String problem) {
        assertThatThrownBy(() -> silences.add(api, sdkAppId, command, duration, reason, "me"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(problem);
        assertThat(silences.list()).isEmpty();
    }

    @Test
    void anExpiredSilenceIsListedButNoLongerActive() {
        Silence silence = silences.add("openim/sendmsg", null, null, "2h", "campaign", "me");
        assertThat(silences.isActive(silences.list().get(0))).isTrue();

        assertThat(silences.expire(silence.id())).isPresent();

        assertThat(silences.list()).singleElement().satisfies(s -> assertThat(silences.isActive(s)).isFalse());
        assertThat(silences.expire("s-none")).isEmpty();
    }

    @Test
    void aSilenceEndsByItselfAndThenHandsOutWhatItHidPerChannel() throws Exception {
        Silence silence = silences.add("openim/sendmsg", null, null, "1s", "load test", "me");
        Alert alert = new Alert("e-1", "api-over-limit", "critical", "t", "1400000000", null, "Alert.RequestOverLimit",
                "openim/sendmsg", null, null, 300L, 200L, "QPS", 150.0, null, "2026-12-01T00:00:00Z", "k", null,
                silence.id(), null, null);
        silences.hide(alert, null);
        silences.hide(alert, "oncall");
        silences.hide(alert, "oncall");
        assertThat(silences.ended()).as("while it lasts").isEmpty();

        await().atMost(Duration.ofSeconds(3)).until(() -> !silences.isActive(silences.list().get(0)));

        assertThat(silences.ended()).extracting(SilencedAlarms::channel, SilencedAlarms::count)
                .containsExactlyInAnyOrder(Tuple.tuple("slack", 1),
                        Tuple.tuple("oncall", 2));
    }

    private Exchange alarmExchange(String api) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(new Alert("e-" + api, "api-over-limit", "critical", "t", "1400000000", null,
                "Alert.RequestOverLimit", api, null, null, 300L, 200L, "QPS", 150.0, null, "2026-12-01T00:00:00Z",
                "k", null, null, null, null));
        return exchange;
    }

    private String silencedBy(String api) {
        Exchange exchange = alarmExchange(api);
        silences.mark(exchange);
        return exchange.getIn().getHeader(Silences.SILENCED_BY, String.class);
    }

    @Test
    void aFileThatIsNoSilenceIsSkippedWithOneLineAndTheOthersHold() throws Exception {
        Silence good = silences.add("openim/sendmsg", null, null, "2h", "campaign", "me");
        Path directory = dataDir.resolve("silences");
        Files.writeString(directory.resolve("no-end.json"), "{\"id\":\"s-n\"}");
        Files.writeString(directory.resolve("evil.json"), "{\"id\":\"../../evil\",\"endsAt\":\"2999-01-01T00:00:00Z\"}");
        Files.writeString(directory.resolve("garbage.json"), "{not json");

        try (LogCapture logs = new LogCapture()) {
            for (int i = 0; i < 3; i++) {
                assertThat(silencedBy("openim/sendmsg")).isEqualTo(good.id());
                assertThat(silencedBy("openim/batchsendmsg")).isNull();
            }
            assertThat(silences.list()).containsExactly(good);
            assertThat(logs.lines()).filteredOn(line -> line.startsWith("ERROR Silence file")).hasSize(3)
                    .anyMatch(line -> line.contains("no-end.json") && line.contains("it has no endsAt"))
                    .anyMatch(line -> line.contains("evil.json") && line.contains("is not a plain id"))
                    .anyMatch(line -> line.contains("garbage.json") && line.contains("not a silence"));
        }
        assertThat(silences.hiddenBy(good.id())).as("counted where no channel posts").isEqualTo(3);
    }

    @Test
    void aSilenceStartsAtItsStartAndAnEditInPlaceAppliesAtOnce() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
        silences = new Silences(clock);
        silences.setDefinitions(Spool.of(dataDir.resolve("silences"), Silence.class));
        silences.setHidden(Spool.of(dataDir.resolve("silenced"), SilencedAlarms.class));
        Path file = dataDir.resolve("silences").resolve("s-later.json");
        Files.writeString(file, "{\"id\":\"s-later\",\"api\":\"openim/sendmsg\",\"startsAt\":\"2026-12-01T11:00:00Z\","
                + "\"endsAt\":\"2026-12-01T12:00:00Z\",\"reason\":\"maintenance\"}");

        assertThat(silencedBy("openim/sendmsg")).as("before its start").isNull();
        clock.advance(Duration.ofHours(1));
        assertThat(silencedBy("openim/sendmsg")).as("from its start").isEqualTo("s-later");

        // an operator's editor rewrites the file in place, with a time of its own
        Files.writeString(file, Files.readString(file).replace("openim/sendmsg", "openim/batchsendmsg"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(1)));
        assertThat(silencedBy("openim/sendmsg")).isNull();
        assertThat(silencedBy("openim/batchsendmsg")).isEqualTo("s-later");
    }
}
