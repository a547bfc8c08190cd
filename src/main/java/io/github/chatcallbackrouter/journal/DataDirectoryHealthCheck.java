package io.github.chatcallbackrouter.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN when the router cannot write its data directory: it then cannot journal an alarm before answering, nor
 * keep a Slack delivery, so /observe/health says so (503). The probe is written and forced to disk like a journal
 * entry of a few kilobytes, because an empty file can still be created on a full disk.
 */
public final class DataDirectoryHealthCheck extends AbstractHealthCheck {

    /** About the size of a journaled alarm with its payload. */
    private static final int PROBE_BYTES = 4096;

    private Path directory;

    public DataDirectoryHealthCheck() {
        super("router", "data-directory");
    }

    /** The router's data directory (router.data-dir). */
    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("directory", directory.toAbsolutePath().toString());
        Path probe = directory.resolve(".health-probe.tmp");
        try {
            PrivateFiles.directories(directory);
            try (FileChannel channel = FileChannel.open(probe, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), PrivateFiles.file())) {
                channel.write(ByteBuffer.allocate(PROBE_BYTES));
                channel.force(true);
            }
            builder.up();
        } catch (IOException | SecurityException e) {
            builder.message("cannot write " + directory.toAbsolutePath() + ": " + e).down();
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // a full disk can still delete; anything else shows in the next check
            }
        }
    }
}
