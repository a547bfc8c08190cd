package io.github.chatcallbackrouter.callback;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.journal.Spooled;

/**
 * One accepted callback, normalised: who sent it (SDKAppID), what it is (command word and before/after kind),
 * where it came from (platform, client IP), when the router received it, and the raw payload untouched.
 *
 * @param id          unique id given by the router, used to trace and deduplicate the event
 * @param receivedAt  ISO-8601 UTC instant at which the router accepted the callback
 * @param app         the name of the app it is for ({@link Apps}); null in an event kept by an older version
 * @param requestTime Chat's RequestTime from the query (Unix seconds), when signing is on; else null
 */
public record CallbackEvent(
        String id,
        String sdkAppId,
        String command,
        String kind,
        String platform,
        String clientIp,
        String receivedAt,
        JsonNode payload,
        String app,
        String requestTime) implements Spooled {
}
