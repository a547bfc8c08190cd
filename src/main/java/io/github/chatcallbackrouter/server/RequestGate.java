package io.github.chatcallbackrouter.server;

import io.github.chatcallbackrouter.callback.CallbackRefusedException;
import io.github.chatcallbackrouter.callback.Refusal;
import io.github.chatcallbackrouter.support.RouterMeters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Everything a caller must keep to on the public port, in one place, asked by the server for each connection and
 * each request: how many connections may be open; how long a new connection may take to send a request head, and a
 * kept-alive one its next request; how large a body may be, how long it may take to arrive, and how many body bytes
 * all requests together may hold; and Chat's deadline for the answer. Sending a byte now and then does not help (a
 * slow-loris caller): each clock runs from the connection, the last answer or the request head, not from the last
 * byte.
 *
 * <p>Each connection only notes its deadlines; one {@link #sweep} every {@value #SWEEP_MILLIS} ms acts on those past
 * them, on the connection's own event loop. A timer set and cancelled for every request cost about a twentieth of a
 * callback's CPU. The clock is given, so the rules are tested without a server or a wait (RequestGateTest).
 */
final class RequestGate {

    /** How often deadlines are looked at: a timeout fires at most this late. */
    static final long SWEEP_MILLIS = 100;
    /** Chat waits 2 s for an answer (Tencent's Webhook Overview); this leaves a tenth for the answer's way back. */
    static final long ANSWER_DEADLINE_MILLIS = 1900;

    private final ServerLimits limits;
    private final LongSupplier nanoClock;
    private final Map<Object, Watched> open = new ConcurrentHashMap<>();
    private final AtomicLong bodyBytesHeld = new AtomicLong();

    RequestGate(ServerLimits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
    }

    /**
     * One open connection: where its work runs, how to close it, until when it may wait for a request, and the
     * deadlines of the request being handled (HTTP/1.1 handles one request of a connection at a time).
     */
    private static final class Watched {

        private final Executor loop;
        private final Runnable close;
        private final long openedNanos;
        private volatile boolean served;
        private volatile long waitDeadline;
        private volatile String waitReason;
        private final Deadline body = new Deadline();
        private final Deadline answer = new Deadline();

        Watched(Executor loop, Runnable close, long openedNanos) {
            this.loop = loop;
            this.close = close;
            this.openedNanos = openedNanos;
        }
    }

    /** What runs if a request's step is not done by a time: its body in, its answer out. */
    private static final class Deadline {

        private volatile long at;
        private volatile Runnable late;

        void set(long atNanos, Runnable late) {
            this.late = late;
            this.at = atNanos;
        }

        void clear() {
            at = 0;
            late = null;
        }

        /** Runs {@code late} on the connection's loop when due, unless the deadline moved meanwhile. */
        void fireIfDue(Executor loop, long now) {
            long due = at;
            if (due != 0 && now - due >= 0) {
                loop.execute(() -> {
                    Runnable action = late;
                    if (at == due && action != null) {
                        clear();
                        action.run();
                    }
                });
            }
        }
    }

    /**
     * A new connection, known by {@code connection} until {@link #closed}: refused ({@code close} runs, false) when
     * too many are open, else given the header timeout for its first request (true). Its deadlines act on
     * {@code loop}, where its requests are handled, so a deadline just moved is seen.
     */
    boolean opened(Object connection, Executor loop, Runnable close) {
        if (open.size() >= limits.maxConnections()) {
            RouterMeters.connectionClosed("too_many_connections");
            close.run();
            return false;
        }
        Watched watched = new Watched(loop, close, nanoClock.getAsLong());
        open.put(connection, watched);
        await(watched, limits.headerTimeoutMs(), "header_timeout");
        return true;
    }

    void closed(Object connection) {
        open.remove(connection);
    }

    /**
     * A request head arrived: the connection is busy, not idle. Returns since when (nanos) the caller has waited, as
     * near as the server can tell: since the connection opened for its first request (the wait to be accepted and
     * read is the caller's too), since now for the next ones.
     */
    long requestArrived(Object connection) {
        long now = nanoClock.getAsLong();
        Watched watched = open.get(connection);
        if (watched == null) {
            return now;
        }
        watched.waitDeadline = 0;
        if (watched.served) {
            return now;
        }
        watched.served = true;
        return Math.min(now, watched.openedNanos);
    }

    /** An answer went out: the connection may wait for its next request up to the idle timeout. */
    void answered(Object connection) {
        Watched watched = open.get(connection);
        if (watched != null) {
            watched.answer.clear();
            await(watched, limits.idleTimeoutMs(), "idle_timeout");
        }
    }

    /** The request of {@code connection} that arrived at {@code startedNanos}: its share of the limits. */
    Pass pass(Object connection, long startedNanos) {
        return new Pass(open.get(connection), startedNanos);
    }

    int openConnections() {
        return open.size();
    }

    long bodyBytesHeld() {
        return bodyBytesHeld.get();
    }

    /** Acts on every deadline past {@code nowNanos}: closes idle connections, runs late body and answer actions. */
    void sweep(long nowNanos) {
        open.forEach((connection, watched) -> {
            long waited = watched.waitDeadline;
            if (waited != 0 && nowNanos - waited >= 0) {
                watched.loop.execute(() -> {
                    if (watched.waitDeadline == waited) {
                        watched.waitDeadline = 0;
                        RouterMeters.connectionClosed(watched.waitReason);
                        watched.close.run();
                    }
                });
            }
            watched.body.fireIfDue(watched.loop, nowNanos);
            watched.answer.fireIfDue(watched.loop, nowNanos);
        });
    }

    private void await(Watched watched, long millis, String reason) {
        watched.waitReason = reason;
        watched.waitDeadline = deadline(millis);
    }

    /** A deadline {@code millis} from now; never 0, which means none. */
    private long deadline(long millis) {
        long at = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(millis);
        return at == 0 ? 1 : at;
    }

    /**
     * One request's share: the body bytes it holds of the budget, and its body and answer deadlines. Used on the
     * request's event loop only; {@link #release} gives everything back, once, whichever way the request ends.
     */
    final class Pass {

        private final Watched watched;
        private final long startedNanos;
        private long taken;
        private boolean bodyClock;
        private boolean released;

        private Pass(Watched watched, long startedNanos) {
            this.watched = watched;
            this.startedNanos = startedNanos;
        }

        /**
         * Room for a body of {@code size} bytes so far: taken from the budget, or refused (nothing more taken) when
         * the body is over the largest accepted (413) or all bodies together would be over the bound (503).
         */
        void makeRoom(long size) {
            if (size > limits.maxBodyBytes()) {
                throw Refusal.BODY_TOO_LARGE.because("body is larger than the " + limits.maxBodyBytes()
                        + " bytes the router accepts");
            }
            long more = size - taken;
            if (more <= 0) {
                return;
            }
            long held;
            do {
                held = bodyBytesHeld.get();
                if (held + more > limits.maxBufferedBytes()) {
                    throw Refusal.BUFFERS_FULL.because("the router is reading too many callback bodies at once ("
                            + limits.maxBufferedBytes() + " bytes); try again");
                }
            } while (!bodyBytesHeld.compareAndSet(held, held + more));
            taken = size;
        }

        /** The body is being read: unless it is in within the body timeout, {@code late} runs. */
        void bodyExpected(Runnable late) {
            if (watched != null) {
                bodyClock = true;
                watched.body.set(deadline(limits.bodyTimeoutMs()), late);
            }
        }

        /** The body is in: no body timeout any more. */
        void bodyIn() {
            if (bodyClock) {
                bodyClock = false;
                watched.body.clear();
            }
        }

        /**
         * The request's route runs: unless its answer has gone out by Chat's deadline, counted from the request's
         * arrival, {@code late} runs. The sweep may come up to a sweep late, so it is set a sweep early.
         */
        void answerExpected(Runnable late) {
            if (watched != null) {
                long left = ANSWER_DEADLINE_MILLIS - SWEEP_MILLIS
                        - TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - startedNanos);
                watched.answer.set(deadline(Math.max(0, left)), late);
            }
        }

        /** Whether {@link #release} has run: the request has ended (answered, refused, or its caller gone). */
        boolean released() {
            return released;
        }

        /** Gives the body's bytes back and stops the body clock, once, whichever way the request ended. */
        void release() {
            if (!released) {
                released = true;
                bodyIn();
                bodyBytesHeld.addAndGet(-taken);
                taken = 0;
            }
        }
    }
}
