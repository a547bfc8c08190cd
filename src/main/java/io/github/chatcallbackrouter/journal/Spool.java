package io.github.chatcallbackrouter.journal;

import io.github.chatcallbackrouter.Json;
import io.github.chatcallbackrouter.RouterMeters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of entries that must survive a crash: one JSON file per entry, written to a temporary file, forced
 * to disk, then renamed into place, so an entry is either wholly there or not at all. An entry is removed once
 * it has been dealt with; whatever is left at start-up was not, and is done again.
 *
 * <p>Files instead of an embedded database: an operator can list, read, copy or delete entries with the shell,
 * and the volume is small (alarms, not every callback).
 */
public final class Spool {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final String SUFFIX = ".json";

    private Path directory;
    private String type;

    /** Directory of the entries; created when missing. */
    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + this.directory, e);
        }
    }

    /** Class of the entries, to read them back. */
    public void setType(String type) {
        this.type = type;
    }

    /** Publishes the number of entries as a gauge of this name (read at each scrape of /observe/metrics). */
    public void setGauge(String name) {
        RouterMeters.gauge(name, "Entries waiting on disk in " + directory, this::size);
    }

    /** Number of entries now in the directory. */
    public long size() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** Writes the entry durably; returns only once it is on disk. */
    public void write(Spooled entry) {
        Path target = file(entry.id());
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(entry);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(json));
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    public void remove(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file(id), e);
        }
    }

    /** Entries left over, oldest first; an unreadable one is left in place and logged, not lost. */
    public List<Object> pending() {
        Class<?> entryType = entryType();
        List<Object> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .sorted(Comparator.comparing(Spool::modified)).toList()) {
                try {
                    entries.add(Json.MAPPER.readValue(file.toFile(), entryType));
                } catch (IOException e) {
                    LOG.error("Cannot read {}; it stays there for an operator to look at: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        if (!entries.isEmpty()) {
            LOG.info("{} entries left in {} from before the last stop: doing them now", entries.size(), directory);
        }
        return entries;
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
}
