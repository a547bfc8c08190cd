package io.github.chatcallbackrouter.server;

import io.github.chatcallbackrouter.support.RouterMeters;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes connections that hold the server without asking anything: a new connection must send a complete request
 * head within the header timeout, a kept-alive one its next request within the idle timeout, and a request its whole
 * body within the body timeout. Sending a byte now and then does not help (a slow-loris caller), because the clock
 * runs from the connection, the last answer or the request head, not from the last byte. The number of open
 * connections is bounded too. It also keeps Chat's deadline for the answer of the request being handled.
 *
 * <p>Each connection only notes its deadline; one sweep every {@value #SWEEP_MILLIS} ms closes those past it. A
 * timer set and cancelled for every request cost about a twentieth of a callback's CPU.
 */
final class ConnectionWatch {

    /** How often deadlines are looked at: a timeout fires at most this late. */
    static final long SWEEP_MILLIS = 100;

    private final Vertx vertx;
    private final ServerLimits limits;
    private final Map<HttpConnection, Watched> open = new ConcurrentHashMap<>();
    private long sweeper = -1;

    /**
     * One open connection: until when it may wait for a request, the body of the one being read, and its answer
     * (HTTP/1.1 handles one request of a connection at a time).
     */
    private static final class Watched {

        private final Context context;
        private final long openedNanos = System.nanoTime();
        private volatile boolean served;
        private volatile long waitDeadline;
        private volatile String waitReason;
        private final Deadline body = new Deadline();
        private final Deadline answer = new Deadline();

        Watched(Context context) {
            this.context = context;
        }
    }

    /** What runs if a request's step is not done by a time: its body in, its answer out. */
    private static final class Deadline {

        private volatile long at;
        private volatile Runnable late;

        void set(long atMillis, Runnable late) {
            this.late = late;
            this.at = atMillis;
        }

        void clear() {
            at = 0;
            late = null;
        }

        /** Runs {@code late} on the connection's event loop when due, unless the deadline moved meanwhile. */
        void fireIfDue(Context context, long now) {
            long due = at;
            if (due != 0 && now >= due) {
                context.runOnContext(run -> {
                    Runnable action = late;
                    if (at == due && action != null) {
                        clear();
                        action.run();
                    }
                });
            }
        }
    }

    ConnectionWatch(Vertx vertx, ServerLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    void start() {
        sweeper = vertx.setPeriodic(SWEEP_MILLIS, fired -> sweep(System.currentTimeMillis()));
    }

    void stop() {
        vertx.cancelTimer(sweeper);
    }

    /**
     * A new connection: refused (closed, false) when too many are open, else given the header timeout for its first
     * request (true).
     */
    boolean opened(HttpConnection connection) {
        if (open.size() >= limits.maxConnections()) {
            RouterMeters.connectionClosed("too_many_connections");
            connection.close();
            return false;
        }
        Watched watched = new Watched(Vertx.currentContext());
        open.put(connection, watched);
        connection.closeHandler(closed -> open.remove(connection));
        await(watched, limits.headerTimeoutMs(), "header_timeout");
        return true;
    }

    /**
     * A request head arrived: the connection is busy, not idle. Returns since when the caller has waited, as near as
     * the server can tell: since the connection opened for its first request (the wait to be accepted and read is
     * the caller's too), since now for the next ones.
     */
    long requestArrived(HttpConnection connection) {
        long now = System.nanoTime();
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

    /** The request's body is being read: it must be in within the body timeout, or {@code late} runs. */
    void bodyExpected(HttpConnection connection, Runnable late) {
        Watched watched = open.get(connection);
        if (watched != null) {
            watched.body.set(System.currentTimeMillis() + limits.bodyTimeoutMs(), late);
        }
    }

    /** The request's body is in (or the request ended another way): no body timeout any more. */
    void bodyDone(HttpConnection connection) {
        Watched watched = open.get(connection);
        if (watched != null) {
            watched.body.clear();
        }
    }

    /**
     * The request's route runs: unless its answer has gone out {@code millis} from now, {@code late} runs (at most
     * {@value #SWEEP_MILLIS} ms later).
     */
    void answerExpected(HttpConnection connection, long millis, Runnable late) {
        Watched watched = open.get(connection);
        if (watched != null) {
            watched.answer.set(System.currentTimeMillis() + millis, late);
        }
    }

    /** An answer went out: the connection may wait for its next request up to the idle timeout. */
    void answered(HttpConnection connection) {
        Watched watched = open.get(connection);
        if (watched != null) {
            watched.answer.clear();
            await(watched, limits.idleTimeoutMs(), "idle_timeout");
        }
    }

    int openConnections() {
        return open.size();
    }

    private static void await(Watched watched, long millis, String reason) {
        watched.waitReason = reason;
        watched.waitDeadline = System.currentTimeMillis() + millis;
    }

    /** On each connection's own event loop, where its requests are handled, so a deadline just moved is seen. */
    private void sweep(long now) {
        open.forEach((connection, watched) -> {
            long waited = watched.waitDeadline;
            if (waited != 0 && now >= waited) {
                watched.context.runOnContext(run -> {
                    if (watched.waitDeadline == waited) {
                        watched.waitDeadline = 0;
                        RouterMeters.connectionClosed(watched.waitReason);
                        connection.close();
                    }
                });
            }
            watched.body.fireIfDue(watched.context, now);
            watched.answer.fireIfDue(watched.context, now);
        });
    }
}
