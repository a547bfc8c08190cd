package io.github.chatcallbackrouter.journal;

import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.LogText;
import io.github.chatcallbackrouter.support.RouterMeters;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of entries that must survive a crash: one JSON file per entry, written to a temporary file, forced
 * to disk (unless {@linkplain #setForced told otherwise}), then renamed into place, so an entry is either wholly
 * there or not at all. An entry is removed once it has been dealt with.
 *
 * <p>An entry written is in flight: some route is working on it. When that route fails, it releases the entry,
 * and {@link #due()} (called at start-up and then on a timer) hands out again every entry nobody is working on.
 * So an entry is done again after a crash and after a failure, but never twice at once.
 *
 * <p>Files instead of an embedded database: an operator can list, read, copy or delete entries with the shell,
 * and the volume is small (alarms, not every callback).
 */
public final class Spool {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final String SUFFIX = ".json";
    private static final String TEMPORARY = ".tmp";
    private static final long WRITER = ProcessHandle.current().pid();
    private static final AtomicLong WRITES = new AtomicLong();
    /** A temporary file this old is what a crash or a full disk left behind, not a write in progress. */
    private static final long STALE_TEMPORARY_MILLIS = 60_000;

    private Path directory;
    private String type;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile String lastWriteFailure;
    private volatile int lastFailedBytes;
    private boolean forced = true;
    private final Clock clock = Clock.systemUTC();

    /** A spool of entries of this type in this directory, for a command that works beside the router. */
    public static Spool of(Path directory, Class<? extends Spooled> type) {
        Spool spool = new Spool();
        spool.setDirectory(directory.toString());
        spool.setType(type.getName());
        return spool;
    }

    /** Directory of the entries; created when missing. */
    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
        try {
            PrivateFiles.directories(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + this.directory, e);
        }
    }

    /** Class of the entries, to read them back. */
    public void setType(String type) {
        this.type = type;
    }

    /**
     * Whether each write waits until it is on the disk itself (the default). Without, an entry survives the
     * router's crash (it is in the operating system's cache) but not the machine's: for state whose loss costs a
     * repeated message at worst, such as the counts of folded alarms, written on the way of an alarm to its post.
     */
    public void setForced(boolean forced) {
        this.forced = forced;
    }

    /** Publishes the number of entries as a gauge of this name (read at each scrape of /observe/metrics). */
    public void setGauge(String name) {
        RouterMeters.gauge(name, "Entries waiting on disk in " + directory, this::size);
    }

    /** Publishes the age of the oldest entry, in seconds (0 when there is none), as a gauge of this name. */
    public void setAgeGauge(String name) {
        RouterMeters.gauge(name, "Age in seconds of the oldest entry in " + directory,
                () -> oldestAgeMillis().orElse(0L) / 1000.0);
    }

    /** Number of entries now in the directory. */
    public long size() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** Writes the entry, in flight; returns once it is on disk (unless not {@linkplain #setForced forced}). */
    public void write(Spooled entry) {
        Path target = file(entry.id());
        // a name of this write's own: two writers of one entry (two `replay`s at once) must not share a file
        Path temporary = target.resolveSibling(target.getFileName() + "." + WRITER + "-" + WRITES.incrementAndGet()
                + TEMPORARY);
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + entry.id(), e);
        }
        try {
            write(temporary, json);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (forced) {
                forceDirectory();
            }
            inFlight.add(entry.id());
            lastWriteFailure = null;
        } catch (IOException e) {
            deleteQuietly(temporary);
            lastFailedBytes = json.length;
            lastWriteFailure = "cannot write " + target + ": " + e;
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /**
     * Writes the entry durably, in flight, as {@link #write} does, and says whether the caller took it: false when
     * something already works on this very entry (a recovery handed it out), which then deals with it, so the
     * caller must not hand it on a second time.
     */
    public boolean take(Spooled entry) {
        boolean taken = inFlight.add(entry.id());
        try {
            write(entry);
        } catch (RuntimeException e) {
            if (taken) {
                inFlight.remove(entry.id());
            }
            throw e;
        }
        return taken;
    }

    /**
     * Whether an entry as large as the one that last failed could be written now: a probe of that size is written,
     * forced and removed. When it can, the failure is forgotten.
     */
    public boolean writableAgain() {
        Path probe = directory.resolve(".probe" + TEMPORARY);
        try {
            write(probe, new byte[lastFailedBytes]);
            lastWriteFailure = null;
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            deleteQuietly(probe);
        }
    }

    /** Dealt with: the entry is gone. */
    public void remove(String id) {
        try {
            Files.deleteIfExists(file(id));
            inFlight.remove(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file(id), e);
        }
    }

    /** Not dealt with, and nobody is working on it any more: {@link #due()} hands it out again. */
    public void release(String id) {
        if (id != null) {
            inFlight.remove(id);
        }
    }

    /**
     * The entries nobody is working on, oldest first, now in flight: at start-up everything left from before the
     * last stop, later what a failed route released. An unreadable entry is left in place and logged, not lost.
     */
    public List<Object> due() {
        removeStaleTemporaries();
        List<Object> due = new ArrayList<>();
        for (Object entry : read(entries())) {
            if (inFlight.add(((Spooled) entry).id())) {
                due.add(entry);
            }
        }
        if (!due.isEmpty()) {
            LOG.info("{} entries in {} that nothing was working on (left from before the last stop, or their route"
                    + " failed): doing them now", due.size(), directory);
        }
        return due;
    }

    /** Every entry, oldest first, without changing what is in flight (open alarm groups are read so). */
    public List<Object> all() {
        return read(entries());
    }

    /** One file of the spool as read: its entry, or why it could not be read. */
    public record File(Path path, Object entry, String problem) {
    }

    /**
     * Every file, oldest first, each with its entry or why it cannot be read: for entries an operator writes by hand
     * (silences), where one bad file must be said once and the rest read, not logged at every read.
     */
    public List<File> files() {
        Class<?> entryType = entryType();
        List<File> files = new ArrayList<>();
        for (Path file : entries()) {
            try {
                files.add(new File(file, Json.MAPPER.readValue(file.toFile(), entryType), null));
            } catch (FileNotFoundException | NoSuchFileException gone) {
                // removed since the listing
            } catch (IOException e) {
                files.add(new File(file, null, LogText.of(e.getMessage())));
            }
        }
        return files;
    }

    /**
     * What the directory holds now, in one string that changes whenever an entry is added, removed or rewritten
     * (each file's name, size, time and file key): cheaper to ask than reading them all, and unlike the directory's
     * own time it changes when a file is edited in place.
     */
    public String fingerprint() {
        StringBuilder fingerprint = new StringBuilder();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (file.getFileName().toString().endsWith(SUFFIX)) {
                    try {
                        // the file key too: a file written again within the clock's tick, at the same size, is
                        // another file (entries are replaced by a rename)
                        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                        fingerprint.append(file.getFileName()).append(':').append(attributes.size()).append(':')
                                .append(attributes.lastModifiedTime()).append(':').append(attributes.fileKey())
                                .append('\n');
                    } catch (IOException gone) {
                        // removed since the listing
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return fingerprint.toString();
    }

    /** How long ago the oldest entry was written; empty when there is none. */
    public Optional<Long> oldestAgeMillis() {
        List<Path> entries = entries();
        return entries.isEmpty() ? Optional.empty()
                : Optional.of(Math.max(0, clock.millis() - modified(entries.get(0))));
    }

    /** Why the last write failed, or null when it succeeded (or none was made). */
    public String lastWriteFailure() {
        return lastWriteFailure;
    }

    private List<Object> read(List<Path> files) {
        Class<?> entryType = entryType();
        List<Object> entries = new ArrayList<>();
        for (Path file : files) {
            try {
                entries.add(Json.MAPPER.readValue(file.toFile(), entryType));
            } catch (FileNotFoundException | NoSuchFileException gone) {
                // dealt with and removed since the listing: nothing to read, nothing wrong
            } catch (IOException e) {
                if (Files.exists(file)) {
                    LOG.error("Cannot read {}; it stays there for an operator to look at: {}", file, e.getMessage());
                }
            }
        }
        return entries;
    }

    /**
     * The entries, oldest first. Each file's time is read once, before sorting, and a file removed meanwhile is left
     * out: the entries change while they are listed (other threads write and remove them).
     */
    private List<Path> entries() {
        List<Map.Entry<Path, Long>> timed = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(SUFFIX)) {
                    long modified = modified(file);
                    if (modified != Long.MAX_VALUE) {
                        timed.add(Map.entry(file, modified));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        timed.sort(Map.Entry.<Path, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        return timed.stream().map(Map.Entry::getKey).toList();
    }

    /** Temporary files a crash or a full disk left behind (a write in progress is never this old). */
    private void removeStaleTemporaries() {
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(f -> f.getFileName().toString().endsWith(TEMPORARY))
                    .filter(f -> clock.millis() - modified(f) > STALE_TEMPORARY_MILLIS)
                    .forEach(Spool::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), PrivateFiles.file())) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (forced) {
                channel.force(true);
            }
        }
    }

    /** The rename is durable only once the directory is on disk too. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot sync a directory; the entry's own data is on disk
        }
    }

    private Path file(String id) {
        if (!id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("not a spool entry id: " + id);
        }
        return directory.resolve(id + SUFFIX);
    }

    private Class<?> entryType() {
        try {
            return Class.forName(type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("spool entry type " + type + " is not on the classpath", e);
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file is removed later, at the next due()
        }
    }
}
