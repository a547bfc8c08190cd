package io.github.chatcallbackrouter.support;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson mapper the router's own classes share (thread-safe once configured). */
public final class Json {

    /**
     * Strict about trailing garbage ("{...} junk" is not a JSON object) and about a key given twice, which readers
     * would resolve differently (a second "Text" that one reader sees and another does not).
     */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Json() {
    }
}
