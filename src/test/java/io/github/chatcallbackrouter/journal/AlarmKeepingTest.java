package io.github.chatcallbackrouter.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.chatcallbackrouter.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm journal when its disk refuses writes: alarms are held in memory (and handed out like the others), up
 * to the limit and no further; written to disk once it takes writes; and a stop says how many it loses.
 */
class AlarmKeepingTest {

    /** An alarm as the journal keeps it. */
    public record Alarm(String id, String api) implements Spooled {
    }

    @TempDir
    Path dataDir;
    private Path journal;
    private AlarmKeeping keeping;

    @BeforeEach
    void aJournalOfThreeInMemory() {
        journal = dataDir.resolve("journal");
        keeping = new AlarmKeeping(journal, Alarm.class, 3, 100);
        keeping.start();
    }

    @AfterEach
    void stop() {
        keeping.stop();
    }

    /** The disk goes: a file where the journal's directory was; nothing can be written there, even as root. */
    private void diskGoes() throws Exception {
        try (Stream<Path> files = Files.walk(journal)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Files.writeString(journal, "not a directory");
    }

    private void diskComesBack() throws Exception {
        Files.delete(journal);
        Files.createDirectories(journal);
    }

    @Test
    void alarmsTheDiskRefusesAreHeldInMemoryUpToTheLimitAndWrittenOnceItTakesWritesAgain() throws Exception {
        assertThat(keeping.keep(new Alarm("a-1", "openim/sendmsg")).get()).isEqualTo(AlarmKeeping.Kept.DISK);
        diskGoes();

        try (LogCapture logs = new LogCapture()) {
            for (int i = 2; i <= 4; i++) {
                assertThat(keeping.keep(new Alarm("a-" + i, "openim/sendmsg")).get())
                        .isEqualTo(AlarmKeeping.Kept.MEMORY);
            }
            assertThatThrownBy(() -> keeping.keep(new Alarm("a-5", "openim/sendmsg")).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AlarmKeeping.NotKeptException.class)
                    .hasMessageContaining("3 alarms are held in memory already (alarms.memory-max)");
            assertThat(keeping.heldInMemory()).isEqualTo(3);
            assertThat(logs.lines()).filteredOn(line -> line.contains("Alarms are held in memory")).hasSize(1);

            // routed while held: one is done, the others released to be done again
            keeping.remove("a-2");
            keeping.release("a-3");
            keeping.release("a-4");
            assertThat(keeping.due()).extracting(alarm -> ((Alarm) alarm).id()).containsExactly("a-3", "a-4");

            diskComesBack();
            keeping.release("a-3");
            assertThat(keeping.due()).extracting(alarm -> ((Alarm) alarm).id()).containsExactly("a-3");
            assertThat(keeping.heldInMemory()).isZero();
            assertThat(Files.exists(journal.resolve("a-3.json"))).isTrue();
            assertThat(Files.exists(journal.resolve("a-4.json"))).isTrue();
            assertThat(logs.lines()).anyMatch(line -> line.contains("Alarms are journaled on disk again"));
        }
    }

    @Test
    void aStopWhileTheDiskStillRefusesSaysHowManyAlarmsItLoses() throws Exception {
        diskGoes();
        for (int i = 1; i <= 2; i++) {
            keeping.keep(new Alarm("a-" + i, "openim/sendmsg")).get();
        }

        try (LogCapture logs = new LogCapture()) {
            keeping.beforeStop();
            keeping.stop();
            assertThat(logs.lines()).anyMatch(line -> line.contains("waiting up to 100 ms for the 2 alarms"))
                    .anyMatch(line -> line.startsWith("ERROR 2 alarms held in memory could be neither routed nor"
                            + " written to the journal before the stop"));
        }
    }
}
