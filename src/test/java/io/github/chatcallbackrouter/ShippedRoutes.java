package io.github.chatcallbackrouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A copy of this checkout's routes/ (with its mode folders), for a test that edits the files a router runs. */
public final class ShippedRoutes {

    private ShippedRoutes() {
    }

    /** Copies routes/ into {@code directory}/routes; returns that folder. */
    public static Path copyInto(Path directory) throws IOException {
        Path routes = directory.resolve("routes");
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Path copy = routes.resolve(Path.of("routes").relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return routes;
    }

    /** Replaces {@code from} by {@code to} in a file of a copy; fails when {@code from} is not there to replace. */
    public static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as(file + " holds what the test replaces").contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    /** The settings that make a router load the copy (local mode), as routes-include-pattern does. */
    public static String includePattern(Path routes) {
        return "file:" + routes + "/*.camel.yaml,file:" + routes + "/local/*.camel.yaml";
    }
}
