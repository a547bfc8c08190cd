package io.github.chatcallbackrouter.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory of entries that must survive a crash: written whole or not at all, read back, removed, handed out
 * again only when nothing works on them, and an unreadable entry left in place without losing the others.
 */
class SpoolTest {

    /** An entry as the spools hold them: an id and some data. */
    public record Entry(String id, String data) implements Spooled {
    }

    @TempDir
    Path directory;
    private Spool spool;

    @BeforeEach
    void aSpool() {
        spool = Spool.of(directory, Entry.class);
    }

    @Test
    void whatIsWrittenIsReadBackAndGoneOnceRemoved() {
        spool.write(new Entry("a", "first"));
        spool.write(new Entry("b", "second"));
        spool.write(new Entry("a", "first, again"));

        assertThat(spool.all()).containsExactlyInAnyOrder(new Entry("a", "first, again"), new Entry("b", "second"));
        assertThat(spool.size()).isEqualTo(2);
        spool.remove("a");
        assertThat(spool.all()).containsExactly(new Entry("b", "second"));
        spool.remove("a");
    }

    @Test
    void entriesNotForcedToDiskAreWrittenWholeAndReadBackByTheNextStart() throws Exception {
        spool.setForced(false);
        spool.write(new Entry("a", "a count"));
        spool.write(new Entry("a", "a count, later"));

        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("a.json");
        }
        assertThat(Spool.of(directory, Entry.class).all()).containsExactly(new Entry("a", "a count, later"));
    }

    @Test
    void dueHandsOutOnlyWhatNothingWorksOnAndAReleasedEntryAgain() {
        spool.write(new Entry("a", "in flight since written"));

        assertThat(Spool.of(directory, Entry.class).due()).as("a restart: nothing works on it")
                .containsExactly(new Entry("a", "in flight since written"));
        assertThat(spool.due()).as("this spool wrote it and works on it").isEmpty();
        spool.release("a");
        assertThat(spool.due()).containsExactly(new Entry("a", "in flight since written"));
        assertThat(spool.due()).as("handed out once").isEmpty();
    }

    @Test
    void anEntryIsTakenOnceWhileSomethingWorksOnIt() {
        Spool.of(directory, Entry.class).write(new Entry("a", "left from before a crash"));
        assertThat(spool.due()).as("the recovery hands it out")
                .containsExactly(new Entry("a", "left from before a crash"));

        assertThat(spool.take(new Entry("a", "made again"))).as("the recovery works on it").isFalse();
        assertThat(spool.all()).as("written all the same").containsExactly(new Entry("a", "made again"));
        assertThat(spool.take(new Entry("b", "new"))).isTrue();
        spool.release("a");
        assertThat(spool.take(new Entry("a", "after a failure"))).isTrue();
    }

    @Test
    void anUnreadableEntryStaysAndTheOthersAreRead() throws Exception {
        spool.write(new Entry("good", "data"));
        Files.writeString(directory.resolve("broken.json"), "{not json");

        assertThat(spool.all()).containsExactly(new Entry("good", "data"));
        assertThat(directory.resolve("broken.json")).exists();
    }

    @Test
    void aStaleTemporaryFileIsRemovedAndAFreshOneLeftAlone() throws Exception {
        Path stale = Files.writeString(directory.resolve("x.json.tmp"), "half");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        Path fresh = Files.writeString(directory.resolve("y.json.tmp"), "being written");

        spool.due();

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void theOldestEntrysAgeAndEveryChangeToTheEntriesAreKnown() throws Exception {
        assertThat(spool.oldestAgeMillis()).isEmpty();
        Path entry = directory.resolve("old.json");
        spool.write(new Entry("old", "data"));
        Files.setLastModifiedTime(entry, FileTime.from(Instant.now().minusSeconds(120)));
        String before = spool.fingerprint();
        spool.write(new Entry("new", "data"));
        String added = spool.fingerprint();
        // edited in place, as an operator's editor does: the directory's own time does not change
        Files.writeString(entry, "{\"id\":\"old\",\"data\":\"edited\"}");
        Files.setLastModifiedTime(entry, FileTime.from(Instant.now().minusSeconds(60)));

        assertThat(spool.oldestAgeMillis()).hasValueSatisfying(age -> assertThat(age).isGreaterThan(59_000));
        assertThat(added).isNotEqualTo(before);
        assertThat(spool.fingerprint()).isNotEqualTo(added);
        assertThat(spool.lastWriteFailure()).isNull();
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.filter(f -> f.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void anEntryRewrittenWithinOneClockTickAtTheSameSizeIsAChange() throws Exception {
        Path entry = directory.resolve("same.json");
        spool.write(new Entry("same", "aaaa"));
        FileTime time = Files.getLastModifiedTime(entry);
        String before = spool.fingerprint();

        spool.write(new Entry("same", "bbbb"));
        Files.setLastModifiedTime(entry, time);

        assertThat(spool.fingerprint()).isNotEqualTo(before);
    }

    @Test
    void listingWhileOtherThreadsRemoveEntriesNeitherFailsNorCriesWolf() throws Exception {
        for (int i = 0; i < 400; i++) {
            spool.write(new Entry("e" + i, "x"));
            // alternate times, so a sort that reads a file's time again would see it change
            Files.setLastModifiedTime(directory.resolve("e" + i + ".json"), FileTime.from(Instant.ofEpochSecond(i % 7)));
        }
        try (io.github.chatcallbackrouter.LogCapture logs = new io.github.chatcallbackrouter.LogCapture()) {
            Thread remover = new Thread(() -> {
                for (int i = 0; i < 400; i++) {
                    spool.remove("e" + i);
                }
            });
            remover.start();
            while (remover.isAlive()) {
                spool.all();
                spool.size();
                spool.oldestAgeMillis();
            }
            remover.join();
            assertThat(logs.lines()).noneMatch(line -> line.startsWith("ERROR"));
        }
        assertThat(spool.all()).isEmpty();
    }
}
