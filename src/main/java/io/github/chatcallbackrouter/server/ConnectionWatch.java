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
 * connections is bounded too.
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

    /** One open connection: until when it may wait for a request, and for the body of the one being read. */
    private static final class Watched {

        private final Context context;
        private final long openedNanos = System.nanoTime();
        private volatile boolean served;
        private volatile long waitDeadline;
        private volatile String waitReason;
        private volatile long bodyDeadline;
        private volatile Runnable bodyLate;

        Watched(Context context) {
            this.context = context;
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
            watched.bodyLate = late;
            watched.bodyDeadline = System.currentTimeMillis() + limits.bodyTimeoutMs();
        }
    }

    /** The request's body is in (or the request ended another way): no body timeout any more. */
    void bodyDone(HttpConnection connection) {
        Watched watched = open.get(connection);
        if (watched != null) {
            watched.bodyDeadline = 0;
            watched.bodyLate = null;
        }
    }

    /** An answer went out: the connection may wait for its next request up to the idle timeout. */
    void answered(HttpConnection connection) {
        Watched watched = open.get(connection);
        if (watched != null) {
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
            long body = watched.bodyDeadline;
            if (body != 0 && now >= body) {
                watched.context.runOnContext(run -> {
                    Runnable late = watched.bodyLate;
                    if (watched.bodyDeadline == body && late != null) {
                        watched.bodyDeadline = 0;
                        watched.bodyLate = null;
                        late.run();
                    }
                });
            }
        });
    }
}
