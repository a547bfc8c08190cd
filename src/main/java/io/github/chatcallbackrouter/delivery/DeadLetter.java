package io.github.chatcallbackrouter.delivery;

import io.github.chatcallbackrouter.journal.Spooled;
import java.util.List;

/**
 * A delivery given up on: what it was, where it was going, why it failed, and every attempt. One JSON file under
 * {@code ${ROUTER_DATA_DIR}/dead-letter/}; {@code replay} sends it again.
 */
public record DeadLetter(String id, String destination, String reason, Delivery delivery,
                         List<Attempt> attempts) implements Spooled {

    /** One try: when, and what came back. */
    public record Attempt(String at, String answer) {
    }
}
