package io.github.chatcallbackrouter.delivery;

import java.time.Instant;
import java.util.Map;

/**
 * What a kind of receiver (Slack, the app's backend, any HTTP endpoint, a pager) knows, and all it knows: how to
 * make the request of one attempt, and what the answer means. Queues, pacing, retries and dead letters are the
 * {@link DeliveryEngine}'s, the same for every receiver, as Alertmanager's integrations only notify and classify.
 */
public interface Receiver {

    /** The request of one attempt, made now: a receiver that signs (a timestamp, a Sign) signs here, at each try. */
    Request format(Delivery delivery, Instant now);

    /** What the receiver's answer means: its status and, for receivers that answer 200 with an error code, its body. */
    Verdict judge(Answer answer);

    /**
     * No answer at all (refused connection, timeout, reset): tried again, as the message may not have arrived.
     * {@code sent}: the whole request went out first, so the receiver may have taken it.
     */
    default Verdict unreachable(String why, boolean sent) {
        return Verdict.retry(why);
    }

    /** An HTTP POST: the full URL (with its query), the headers, the body. */
    record Request(String url, Map<String, String> headers, byte[] body) {
    }

    /**
     * The receiver's answer: its status, its headers by lower-case name, and its body as text, cut to the bounded
     * number of bytes the router reads of any answer.
     */
    record Answer(int status, Map<String, String> headers, String body) {

        public String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }
    }
}
