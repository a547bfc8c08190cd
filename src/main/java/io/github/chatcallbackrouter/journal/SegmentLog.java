package io.github.chatcallbackrouter.journal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of records that must survive a crash, for many records a second: one line per record in
 * segment files ({@code segment-00000001.jsonl}, ...), written by one thread that forces each batch to disk once
 * (group commit, as BookKeeper's journal does), urgent records first. A caller's future completes once its record is
 * on disk; while the disk is busy with one batch the next one gathers.
 *
 * <p>A record is live until a later record releases it ({@link #appendRelease}). A segment is deleted once it is
 * sealed, holds no live record, and no segment that releases its records is needed any more, so a restart never
 * finds a record without the record that released it. At a start, every segment is read again
 * ({@link Reader}), a record torn by a crash is skipped, and writing goes on in a new segment.
 *
 * <p>Lines can be read with the shell ({@code cat outbox/segment-*.jsonl}); a file is never changed once sealed.
 */
public final class SegmentLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".jsonl";
    /** Records written and forced in one go at most; the rest wait for the next batch. */
    private static final int BATCH_BYTES = 4 * 1024 * 1024;

    /** Where a record is: its segment, its first byte, and its length without the line's end. */
    public record Location(long segment, long offset, int length) {
    }

    /** Reads the records of a log at its start, oldest first. */
    public interface Reader {

        /**
         * One record, where it is; returns the segment of the record this one releases (the caller's format says
         * it), or -1.
         */
        long record(byte[] line, Location at);
    }

    private final Path directory;
    private final long maxSegmentBytes;
    private final String threadName;
    private final Object lock = new Object();
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final ArrayDeque<Pending> urgent = new ArrayDeque<>();
    private final ArrayDeque<Pending> normal = new ArrayDeque<>();
    private Segment current;
    private long nextSegment = 1;
    private Thread writer;
    private boolean closing;
    private volatile String lastFailure;

    private SegmentLog(Path directory, long maxSegmentBytes, String threadName) {
        this.directory = directory;
        this.maxSegmentBytes = maxSegmentBytes;
        this.threadName = threadName;
    }

    /**
     * Opens the log in {@code directory} (made when missing) and reads every record it holds to {@code reader};
     * then say which records are still live ({@link #retain}) and {@link #start} it.
     */
    public static SegmentLog open(Path directory, long maxSegmentBytes, String threadName, Reader reader) {
        SegmentLog log = new SegmentLog(directory, maxSegmentBytes, threadName);
        try {
            PrivateFiles.directories(directory);
            for (Path file : segmentFiles(directory)) {
                log.replay(file, reader);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory, e);
        }
        return log;
    }

    /** At a start, before {@link #start}: this record is still live. */
    public void retain(Location location) {
        synchronized (lock) {
            segments.get(location.segment()).live++;
        }
    }

    /** Deletes what no live record needs, and starts writing (in a new segment). */
    public void start() {
        synchronized (lock) {
            for (Segment segment : new ArrayList<>(segments.values())) {
                deleteWhenUnneeded(segment);
            }
        }
        writer = new Thread(this::write, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /** A live record; the future completes with where it is once it is on disk, or fails when it could not be. */
    public CompletableFuture<Location> append(byte[] line, boolean first) {
        Pending pending = new Pending(line, null, new CompletableFuture<>());
        enqueue(pending, first);
        return pending.written;
    }

    /**
     * A record that releases the live record at {@code released} (it was dealt with); nobody waits for it to be on
     * disk, and it is, with the next batch. Should a crash lose it, the released record is live again at the start.
     */
    public void appendRelease(byte[] line, Location released) {
        synchronized (lock) {
            Segment segment = segments.get(released.segment());
            if (segment != null) {
                segment.live--;
            }
        }
        enqueue(new Pending(line, released, null), false);
    }

    /** The record at this location, as it was appended. */
    public byte[] read(Location location) throws IOException {
        FileChannel channel;
        synchronized (lock) {
            Segment segment = segments.get(location.segment());
            if (segment == null) {
                throw new NoSuchFileException(file(location.segment()).toString(), null, "the segment is gone");
            }
            if (segment.reader == null) {
                segment.reader = FileChannel.open(segment.file, StandardOpenOption.READ);
            }
            channel = segment.reader;
        }
        ByteBuffer buffer = ByteBuffer.allocate(location.length());
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, location.offset() + buffer.position()) < 0) {
                throw new IOException("record at " + location + " is cut short");
            }
        }
        return buffer.array();
    }

    /** Why the last batch could not be written, or null when it was. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Segment files now on disk. */
    public int segmentCount() {
        synchronized (lock) {
            return segments.size();
        }
    }

    /** Writes what is pending, forces it, and stops. */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        if (writer != null) {
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            for (Segment segment : segments.values()) {
                segment.closeChannels();
            }
        }
    }

    private void enqueue(Pending pending, boolean first) {
        synchronized (lock) {
            if (closing) {
                if (pending.written != null) {
                    pending.written.completeExceptionally(new IOException(directory + " is closing"));
                }
                return;
            }
            (first ? urgent : normal).addLast(pending);
            lock.notifyAll();
        }
    }

    private void write() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            synchronized (lock) {
                while (urgent.isEmpty() && normal.isEmpty() && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                if (urgent.isEmpty() && normal.isEmpty()) {
                    return;
                }
                int bytes = 0;
                for (ArrayDeque<Pending> queue : List.of(urgent, normal)) {
                    while (!queue.isEmpty() && bytes < BATCH_BYTES) {
                        Pending next = queue.pollFirst();
                        bytes += next.line.length + 1;
                        batch.add(next);
                    }
                }
            }
            writeBatch(batch);
        }
    }

    /** One batch: written, forced once (and once more per segment it fills), then its callers are told. */
    private void writeBatch(List<Pending> batch) {
        List<Location> written = new ArrayList<>(batch.size());
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            Segment segment = currentSegment();
            long start = segment.size;
            for (Pending pending : batch) {
                if (start + buffer.size() + pending.line.length + 1 > maxSegmentBytes && start + buffer.size() > 0) {
                    flush(segment, buffer);
                    segment = roll();
                    start = segment.size;
                }
                Location location = new Location(segment.id, start + buffer.size(), pending.line.length);
                // counted before the segment can be sealed: a full segment is sealed (and checked for deletion) in
                // the middle of a batch
                account(segment, pending, +1);
                written.add(location);
                buffer.write(pending.line);
                buffer.write('\n');
            }
            flush(segment, buffer);
            lastFailure = null;
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                for (int i = 0; i < written.size(); i++) {
                    Segment segment = segments.get(written.get(i).segment());
                    if (segment != null) {
                        account(segment, batch.get(i), -1);
                    }
                }
            }
            fail(batch, e);
            return;
        }
        synchronized (lock) {
            for (Pending pending : batch) {
                if (pending.released != null) {
                    Segment released = segments.get(pending.released.segment());
                    if (released != null) {
                        deleteWhenUnneeded(released);
                    }
                }
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).written != null) {
                batch.get(i).written.complete(written.get(i));
            }
        }
    }

    /** A live record counts in its segment; a release keeps its segment until the released one is gone. */
    private void account(Segment segment, Pending pending, int sign) {
        synchronized (lock) {
            if (pending.written != null) {
                segment.live += sign;
            } else if (sign > 0 && pending.released.segment() != segment.id
                    && segments.containsKey(pending.released.segment())) {
                segment.releases.add(pending.released.segment());
            }
        }
    }

    private void flush(Segment segment, ByteArrayOutputStream buffer) throws IOException {
        if (buffer.size() == 0) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
        long before = segment.size;
        try {
            while (bytes.hasRemaining()) {
                segment.writer.write(bytes);
            }
            segment.writer.force(false);
        } catch (IOException e) {
            // nothing half-written stays behind a record that comes later: this segment takes no more
            try {
                segment.writer.truncate(before);
            } catch (IOException ignored) {
                // a torn line at its end is skipped at the next start
            }
            throw e;
        }
        segment.size += buffer.size();
        buffer.reset();
    }

    private void fail(List<Pending> batch, Exception e) {
        lastFailure = "cannot write " + directory + ": " + e;
        synchronized (lock) {
            if (current != null) {
                seal(current);
                current = null;
            }
        }
        for (Pending pending : batch) {
            if (pending.written != null) {
                pending.written.completeExceptionally(e);
            }
        }
    }

    private Segment currentSegment() throws IOException {
        synchronized (lock) {
            if (current == null) {
                current = newSegment();
            }
            return current;
        }
    }

    private Segment roll() throws IOException {
        synchronized (lock) {
            seal(current);
            current = newSegment();
            return current;
        }
    }

    private Segment newSegment() throws IOException {
        Segment segment = new Segment(nextSegment++, null);
        segment.writer = FileChannel.open(segment.file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PrivateFiles.file());
        forceDirectory();
        segments.put(segment.id, segment);
        return segment;
    }

    private void seal(Segment segment) {
        segment.sealed = true;
        if (segment.writer != null) {
            try {
                segment.writer.close();
            } catch (IOException e) {
                // it was forced with its last batch
            }
            segment.writer = null;
        }
        deleteWhenUnneeded(segment);
    }

    /** Deletes a sealed segment no live record is in and no record of another segment needs; then what it held up. */
    private void deleteWhenUnneeded(Segment segment) {
        if (!segment.sealed || segment.live > 0 || segments.get(segment.id) != segment) {
            return;
        }
        segment.releases.removeIf(id -> !segments.containsKey(id));
        if (!segment.releases.isEmpty()) {
            return;
        }
        try {
            segment.closeChannels();
            Files.deleteIfExists(segment.file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}, which nothing needs any more: {}", segment.file, e.getMessage());
            return;
        }
        segments.remove(segment.id);
        for (Segment other : new ArrayList<>(segments.values())) {
            if (other.releases.remove(segment.id)) {
                deleteWhenUnneeded(other);
            }
        }
    }

    private void replay(Path file, Reader reader) throws IOException {
        long id = Long.parseLong(file.getFileName().toString().substring(PREFIX.length(),
                file.getFileName().toString().length() - SUFFIX.length()));
        Segment segment = new Segment(id, file);
        segment.sealed = true;
        segments.put(id, segment);
        nextSegment = Math.max(nextSegment, id + 1);
        int torn = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long offset = 0;
            long lineStart = 0;
            int b;
            while ((b = in.read()) >= 0) {
                offset++;
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                byte[] record = line.toByteArray();
                line.reset();
                long released = reader.record(record, new Location(id, lineStart, record.length));
                if (released >= 0 && released != id && segments.containsKey(released)) {
                    segment.releases.add(released);
                }
                lineStart = offset;
            }
            torn = line.size() > 0 ? 1 : 0;
            segment.size = offset;
        }
        if (torn > 0) {
            LOG.warn("{} ends with a record a crash cut short; it is skipped (it was never acknowledged)", file);
        }
    }

    private static List<Path> segmentFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            // ordered by the number in the name, which never changes (file times do, and differ by file system)
            return files.filter(f -> f.getFileName().toString().matches(PREFIX + "\\d+" + SUFFIX.replace(".", "\\.")))
                    .sorted((a, b) -> Long.compare(number(a), number(b))).toList();
        }
    }

    private static long number(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    }

    private Path file(long id) {
        return directory.resolve(String.format("%s%08d%s", PREFIX, id, SUFFIX));
    }

    /** A new file's name is durable only once the directory is on disk too. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot sync a directory
        }
    }

    private record Pending(byte[] line, Location released, CompletableFuture<Location> written) {
    }

    private final class Segment {

        private final long id;
        private final Path file;
        private final Set<Long> releases = new HashSet<>();
        private int live;
        private long size;
        private boolean sealed;
        private FileChannel writer;
        private FileChannel reader;

        Segment(long id, Path file) {
            this.id = id;
            this.file = file != null ? file : file(id);
        }

        void closeChannels() {
            for (FileChannel channel : new FileChannel[] {writer, reader}) {
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException e) {
                        // nothing to keep: it was read from, or forced
                    }
                }
            }
            writer = null;
            reader = null;
        }
    }
}
