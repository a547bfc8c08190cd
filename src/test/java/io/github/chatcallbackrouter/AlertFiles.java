package io.github.chatcallbackrouter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the router wrote to the daily alert files under a data directory. */
public final class AlertFiles {

    private AlertFiles() {
    }

    /** Every line of every alert file; none when no alert was written yet. */
    public static List<String> lines(Path dataDir) {
        Path dir = dataDir.resolve("alerts");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
