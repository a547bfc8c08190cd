package io.github.chatcallbackrouter.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's log on a real disk: what was acknowledged is there after a restart, what was released is not, a line
 * torn by a crash is skipped, and segments go once nothing needs them, never before the records that release theirs.
 */
class SegmentLogTest {

    @TempDir
    Path directory;

    /** A record is "+id" (live) or "-id@segment" (releases the record of id in that segment). */
    private final Map<String, SegmentLog.Location> live = new LinkedHashMap<>();

    private SegmentLog open(long segmentBytes) {
        live.clear();
        SegmentLog log = SegmentLog.open(directory, segmentBytes, "test-writer", (line, at) -> {
            String record = new String(line, StandardCharsets.UTF_8);
            if (record.startsWith("+")) {
                live.put(record.substring(1), at);
                return -1;
            }
            String[] released = record.substring(1).split("@");
            live.remove(released[0]);
            return Long.parseLong(released[1]);
        });
        live.values().forEach(log::retain);
        log.start();
        return log;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> segments() throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void whatWasAcknowledgedIsReadBackAfterARestartAndWhatWasReleasedIsNot() throws Exception {
        SegmentLog log = open(1 << 20);
        List<CompletableFuture<SegmentLog.Location>> written = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            written.add(log.append(bytes("+r" + i), i % 10 == 0));
        }
        List<SegmentLog.Location> at = written.stream().map(CompletableFuture::join).toList();
        assertThat(new String(log.read(at.get(500)), StandardCharsets.UTF_8)).isEqualTo("+r500");
        for (int i = 0; i < 1000; i += 2) {
            log.appendRelease(bytes("-r" + i + "@" + at.get(i).segment()), at.get(i));
        }
        log.close();

        SegmentLog again = open(1 << 20);
        try {
            assertThat(live.keySet()).hasSize(500).allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 1);
            assertThat(new String(again.read(live.get("r999")), StandardCharsets.UTF_8)).isEqualTo("+r999");
        } finally {
            again.close();
        }
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheRestIsRead() throws Exception {
        SegmentLog log = open(1 << 20);
        log.append(bytes("+kept"), false).join();
        log.close();
        Path segment = directory.resolve(segments().get(0));
        Files.writeString(segment, "+torn-by-a-cra", StandardOpenOption.APPEND);

        SegmentLog again = open(1 << 20);
        try {
            assertThat(live.keySet()).containsExactly("kept");
        } finally {
            again.close();
        }
    }

    @Test
    void aSegmentGoesOnceItsRecordsAreReleasedButNotBeforeTheSegmentsThatReleaseThem() throws Exception {
        // small segments: each holds a few records, so the records of one are released from later ones
        SegmentLog log = open(64);
        List<SegmentLog.Location> at = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            at.add(log.append(bytes("+record-" + i), false).join());
        }
        assertThat(log.segmentCount()).isGreaterThan(2);
        // every record but the first is released: the first one's segment stays, and so does every segment that
        // holds a release of a record of that first segment
        for (int i = 1; i < 20; i++) {
            log.appendRelease(bytes("-record-" + i + "@" + at.get(i).segment()), at.get(i));
        }
        log.append(bytes("+last"), false).join(); // the releases are on disk with this batch
        log.close();

        SegmentLog again = open(64);
        long first = live.get("record-0").segment();
        try {
            assertThat(live.keySet()).containsExactly("record-0", "last");
            again.appendRelease(bytes("-record-0@" + first), live.get("record-0"));
            again.append(bytes("+after"), false).join();
            again.appendRelease(bytes("-last@" + live.get("last").segment()), live.get("last"));
            again.append(bytes("+after2"), false).join();
            for (int i = 0; i < 10; i++) {
                again.append(bytes("+pad-" + i), false).join(); // the segments the releases are in fill and seal
            }
        } finally {
            again.close();
        }
        SegmentLog third = open(64);
        try {
            assertThat(live.keySet()).doesNotContain("record-0", "last").contains("after", "after2");
            assertThat(segments()).as("the segments of the released records are gone")
                    .noneMatch(name -> name.equals(String.format("segment-%08d.jsonl", first)));
        } finally {
            third.close();
        }
    }
}
