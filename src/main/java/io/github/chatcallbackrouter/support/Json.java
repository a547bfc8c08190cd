package io.github.chatcallbackrouter.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson mapper the router's own classes share (thread-safe once configured). */
public final class Json {

    /** Strict about trailing garbage: "{...} junk" is not a JSON object. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }
}
