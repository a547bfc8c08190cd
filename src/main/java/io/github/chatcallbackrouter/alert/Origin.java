package io.github.chatcallbackrouter.alert;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where an alarm came from, as Chat's query says it: the app (its name), the platform that caused it
 * ({@code OptPlatform}: RESTAPI for a REST API call), the client's address ({@code ClientIP}, absent on alarms) and
 * Chat's own {@code RequestTime} (Unix seconds, when signing is on). Null parts are left out of its JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Origin(String app, String platform, String clientIp, String requestTime) {
}
