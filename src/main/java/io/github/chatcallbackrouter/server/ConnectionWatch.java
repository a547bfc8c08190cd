package io.github.chatcallbackrouter.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.github.chatcallbackrouter.support.RouterMeters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes connections that hold the server without asking anything: a new connection must send a complete request
 * head within the header timeout, and a kept-alive one its next request within the idle timeout. Sending a byte now
 * and then does not help (a slow-loris caller), because the clock runs from the connection or the last answer,
 * not from the last byte. The number of open connections is bounded too.
 */
final class ConnectionWatch {

    private final Vertx vertx;
    private final ServerLimits limits;
    private final Map<HttpConnection, Long> waiting = new ConcurrentHashMap<>();
    private final Map<HttpConnection, Boolean> open = new ConcurrentHashMap<>();

    ConnectionWatch(Vertx vertx, ServerLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    /** A new connection: refused when too many are open, else given the header timeout for its first request. */
    void opened(HttpConnection connection) {
        if (open.size() >= limits.maxConnections()) {
            RouterMeters.connectionClosed("too_many_connections");
            connection.close();
            return;
        }
        open.put(connection, Boolean.TRUE);
        connection.closeHandler(closed -> {
            open.remove(connection);
            cancel(connection);
        });
        await(connection, limits.headerTimeoutMs(), "header_timeout");
    }

    /** A request head arrived: the connection is busy, not idle. */
    void requestArrived(HttpConnection connection) {
        cancel(connection);
    }

    /** An answer went out: the connection may wait for its next request up to the idle timeout. */
    void answered(HttpConnection connection) {
        if (open.containsKey(connection)) {
            await(connection, limits.idleTimeoutMs(), "idle_timeout");
        }
    }

    int openConnections() {
        return open.size();
    }

    private void await(HttpConnection connection, long millis, String reason) {
        long timer = vertx.setTimer(millis, fired -> {
            if (waiting.remove(connection, fired)) {
                RouterMeters.connectionClosed(reason);
                connection.close();
            }
        });
        Long previous = waiting.put(connection, timer);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
    }

    private void cancel(HttpConnection connection) {
        Long timer = waiting.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}
