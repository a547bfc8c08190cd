package io.github.chatcallbackrouter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.chatcallbackrouter.callback.CallbackRefusedException;
import io.github.chatcallbackrouter.callback.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The public port's limits as the gate keeps them, on a clock the test moves: no server, no waiting. */
class RequestGateTest {

    private static final ServerLimits LIMITS = new ServerLimits(1000, 1500, 5_000, 10_000, 60_000, 3);

    /** Starts at an arbitrary nanoTime, as System.nanoTime does; deadlines must not depend on its origin. */
    private long now = -7_000_000_000L;
    private final RequestGate gate = new RequestGate(LIMITS, () -> now);
    private final List<String> closed = new ArrayList<>();

    private Object connect(String name) {
        Object connection = new Object();
        return gate.opened(connection, Runnable::run, () -> closed.add(name)) ? connection : null;
    }

    /** A connection whose request head has arrived: what a request's pass belongs to. */
    private Object busyConnection() {
        Object connection = connect("busy");
        gate.requestArrived(connection);
        return connection;
    }

    private void after(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
        gate.sweep(now);
    }

    @Test
    void connectionsOverTheBoundAreClosedAtOnceAndAClosedOneMakesRoom() {
        Object first = connect("a");
        connect("b");
        connect("c");

        assertThat(connect("d")).isNull();
        assertThat(closed).containsExactly("d");

        gate.closed(first);
        assertThat(connect("e")).isNotNull();
        assertThat(gate.openConnections()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}: closed {2} ms after {1}")
    @CsvSource({
        "a new connection without a request head, opened,   5000",
        "a kept-alive connection without its next request, answered, 60000",
    })
    void aConnectionThatAsksNothingIsClosedAtItsTimeoutNotBefore(String what, String from, long timeoutMs) {
        Object connection = connect("slow");
        if (from.equals("answered")) {
            gate.requestArrived(connection);
            after(4_000);
            gate.answered(connection);
        }

        after(timeoutMs - 1);
        assertThat(closed).isEmpty();
        after(1);
        assertThat(closed).containsExactly("slow");
    }

    @Test
    void aRequestHeadStopsTheWaitAndTheFirstRequestCountsFromTheConnection() {
        long opened = now;
        Object connection = connect("busy");
        after(3_000);

        assertThat(gate.requestArrived(connection)).isEqualTo(opened);
        after(60_000);
        assertThat(closed).isEmpty();
        gate.answered(connection);
        assertThat(gate.requestArrived(connection)).isEqualTo(now);
    }

    @Test
    void aBodyNotInWithinItsTimeoutRunsTheLateActionOnceAndABodyInTimeOrAnEndedRequestNever() {
        Object connection = busyConnection();
        AtomicInteger late = new AtomicInteger();

        RequestGate.Pass slow = gate.pass(connection, now);
        slow.bodyExpected(late::incrementAndGet);
        after(9_999);
        assertThat(late).hasValue(0);
        after(1);
        after(1_000);
        assertThat(late).hasValue(1);

        RequestGate.Pass quick = gate.pass(connection, now);
        quick.bodyExpected(late::incrementAndGet);
        after(9_000);
        quick.bodyIn();
        after(5_000);
        assertThat(late).hasValue(1);

        RequestGate.Pass ended = gate.pass(connection, now);
        ended.bodyExpected(late::incrementAndGet);
        ended.release();
        after(20_000);
        assertThat(late).hasValue(1);
    }

    @Test
    void theAnswerIsDueBeforeChatsTwoSecondsCountedFromTheArrivalASweepEarly() {
        Object connection = busyConnection();
        long arrived = now;
        after(300); // reading the body
        AtomicInteger late = new AtomicInteger();
        gate.pass(connection, arrived).answerExpected(late::incrementAndGet);

        now = arrived + TimeUnit.MILLISECONDS.toNanos(RequestGate.ANSWER_DEADLINE_MILLIS - RequestGate.SWEEP_MILLIS
                - 1);
        gate.sweep(now);
        assertThat(late).hasValue(0);
        after(1);
        assertThat(late).hasValue(1);
        assertThat(closed).isEmpty();
    }

    @Test
    void anAnswerThatWentOutClearsTheAnswerDeadline() {
        Object connection = busyConnection();
        AtomicInteger late = new AtomicInteger();
        gate.pass(connection, now).answerExpected(late::incrementAndGet);
        after(500);
        gate.answered(connection);

        after(5_000);
        assertThat(late).hasValue(0);
    }

    @Test
    void bodiesAreBoundedEachAndAllTogetherAndReleasedOnce() {
        Object connection = busyConnection();
        RequestGate.Pass first = gate.pass(connection, now);
        RequestGate.Pass second = gate.pass(connection, now);

        first.makeRoom(600);
        first.makeRoom(900); // grows to 900: 300 more
        assertThatThrownBy(() -> first.makeRoom(1001))
                .isInstanceOfSatisfying(CallbackRefusedException.class,
                        refused -> assertThat(refused.refusal()).isEqualTo(Refusal.BODY_TOO_LARGE));
        assertThat(gate.bodyBytesHeld()).isEqualTo(900);

        assertThatThrownBy(() -> second.makeRoom(700))
                .isInstanceOfSatisfying(CallbackRefusedException.class,
                        refused -> assertThat(refused.refusal()).isEqualTo(Refusal.BUFFERS_FULL));
        assertThat(gate.bodyBytesHeld()).isEqualTo(900);

        first.release();
        first.release();
        assertThat(first.released()).isTrue();
        assertThat(gate.bodyBytesHeld()).isZero();
        second.makeRoom(700);
        assertThat(gate.bodyBytesHeld()).isEqualTo(700);
    }
}
