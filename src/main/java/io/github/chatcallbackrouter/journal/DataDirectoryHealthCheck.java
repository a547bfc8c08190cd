package io.github.chatcallbackrouter.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN when the router cannot write its data directory: it then cannot journal an alarm before answering, nor
 * keep a Slack delivery, so /observe/health says so (503) before alarms are refused.
 */
public final class DataDirectoryHealthCheck extends AbstractHealthCheck {

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
        try {
            Files.createDirectories(directory);
            Path probe = Files.createTempFile(directory, ".health-", ".tmp");
            Files.delete(probe);
            builder.up();
        } catch (IOException | SecurityException e) {
            builder.message("cannot write " + directory.toAbsolutePath() + ": " + e).down();
        }
    }
}
