package io.github.chatcallbackrouter.callback;

import io.github.chatcallbackrouter.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The sample bodies Tencent documents for the command words (resources samples/), for send-test and explain. */
public final class CallbackSamples {

    private CallbackSamples() {
    }

    /** The documented sample body of the command, or a minimal one naming it. */
    public static String body(String command) {
        try (InputStream in = CallbackSamples.class.getResourceAsStream("/samples/" + command + ".json")) {
            if (in != null) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample of " + command, e);
        }
        return Json.MAPPER.createObjectNode().put("CallbackCommand", command).toString();
    }
}
