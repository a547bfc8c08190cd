package io.github.chatcallbackrouter.channel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.Origin;
import io.github.chatcallbackrouter.support.Json;
import java.time.Instant;

/** A critical over-limit alarm, marked as a test in its title and event id: what send-test and checks render. */
public final class SampleAlert {

    /** For checking that a template renders. */
    static final Alert ALERT = at(Instant.parse("2026-01-01T00:00:00Z"));

    private SampleAlert() {
    }

    /** A test alarm received now, its event id unique to this moment. */
    public static Alert at(Instant now) {
        ObjectNode payload = Json.MAPPER.createObjectNode().put("CallbackCommand", "Alert.RequestOverLimit")
                .put("ServiceName", "openim").put("Command", "batchsendmsg").put("Request", 510).put("Limit", 200);
        return new Alert("test-" + now.toEpochMilli(), "api-over-limit", "critical",
                "TEST from chat-callback-router (not a real alarm): openim/batchsendmsg at 255%", "1400000000",
                new Origin("test", "RESTAPI", null, null), "Alert.RequestOverLimit", "openim/batchsendmsg", "Sends one-to-one messages to multiple users",
                "200 requests/second", 510L, 200L, "QPS", 255.0, null, now.toString(),
                "[\"1400000000\",\"openim\",\"batchsendmsg\",\"test\"]", payload, null, null, null);
    }
}
