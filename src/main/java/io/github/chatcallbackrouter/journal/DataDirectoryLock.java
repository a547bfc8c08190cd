package io.github.chatcallbackrouter.journal;

import io.github.chatcallbackrouter.support.CannotStartException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import org.apache.camel.Service;

/**
 * One user of a data directory at a time: an exclusive lock on {@code .lock} in it, held by a running router and
 * by {@code replay}. Two routers on one journal would each route the other's alarms; two replays would each post
 * every dead letter. The lock is the operating system's, so a router killed with -9 leaves none behind.
 *
 * <p>As a Camel service of the router's context, it is released when the context stops.
 */
public final class DataDirectoryLock implements Service {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock for {@code holder} (e.g. "a router"), or throws CannotStartException saying who holds it.
     */
    public static DataDirectoryLock acquire(Path directory, String holder) {
        Path file = directory.resolve(".lock");
        FileChannel channel = null;
        try {
            PrivateFiles.directories(directory);
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PrivateFiles.file());
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisProcess) {
                lock = null;
            }
            if (lock == null) {
                String owner = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new CannotStartException(directory.toAbsolutePath() + " is in use"
                        + (owner.isEmpty() ? "" : " by " + owner)
                        + ": one router (or replay) per data directory. Stop it first, or give this one its own"
                        + " ROUTER_DATA_DIR.");
            }
            String me = holder + " (pid " + ManagementFactory.getRuntimeMXBean().getPid() + ", since "
                    + Instant.now() + ")\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    @Override
    public void start() {
        // taken when acquired, before any route could start
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            // the lock goes with the channel anyway
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
