package io.github.chatcallbackrouter.slack;

import io.github.chatcallbackrouter.journal.Spooled;
import java.util.List;

/**
 * A message that could not be delivered: what it was, where it was going, why it failed, and every attempt.
 * One JSON file under {@code ${ROUTER_DATA_DIR}/dead-letter/}; {@code replay} sends it again.
 */
public record DeadLetter(String id, String destination, String reason, SlackDelivery delivery,
                         List<Attempt> attempts) implements Spooled {

    /** One try: when, and what came back. */
    public record Attempt(String at, String answer) {
    }
}
