package io.github.chatcallbackrouter.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of callback bodies held in memory at once, all requests together, against one bound: a crowd of
 * callers that each start a large body and never finish holds at most this much, and the next is refused.
 */
final class BodyBudget {

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} from the budget; false (and nothing taken) when that would go over the bound. */
    boolean take(long bytes) {
        long now;
        do {
            now = held.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    void giveBack(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }

    long limit() {
        return limit;
    }
}
