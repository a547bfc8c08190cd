package io.github.chatcallbackrouter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The sample callback bodies from Tencent's docs, copied into src/test/resources/samples. */
public final class Samples {

    private Samples() {
    }

    /** The sample body for a command word, or null when the docs give none. */
    public static String body(String command) {
        return resource("/samples/" + command + ".json");
    }

    /** An expected output in src/test/resources/expected (JSON with json-unit placeholders where values vary). */
    public static String expected(String name) {
        return resource("/expected/" + name);
    }

    private static String resource(String path) {
        try (InputStream in = Samples.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
