package io.github.chatcallbackrouter.server;

import org.apache.camel.CamelContext;
import org.apache.camel.util.TimeUtils;

/**
 * What one caller may hold of the public callback server, read once from the settings (router.http.*,
 * camel.server.max-body-size): nothing on that port waits or buffers without a bound.
 *
 * @param maxBodyBytes      largest body accepted (413 above)
 * @param maxBufferedBytes  bytes of bodies being read at once, all requests together (503 above)
 * @param headerTimeoutMs   from a new connection to a complete request head
 * @param bodyTimeoutMs     from a request head to the end of its body (408 after)
 * @param idleTimeoutMs     a kept-alive connection waiting for its next request
 * @param maxConnections    open connections (more are closed at once)
 */
record ServerLimits(long maxBodyBytes, long maxBufferedBytes, long headerTimeoutMs, long bodyTimeoutMs,
                    long idleTimeoutMs, int maxConnections) {

    static ServerLimits of(CamelContext context, long maxBodyBytes) {
        return new ServerLimits(maxBodyBytes,
                Long.parseLong(setting(context, "router.http.max-buffered-bytes")),
                TimeUtils.toMilliSeconds(setting(context, "router.http.header-timeout")),
                TimeUtils.toMilliSeconds(setting(context, "router.http.body-timeout")),
                TimeUtils.toMilliSeconds(setting(context, "router.http.idle-timeout")),
                Integer.parseInt(setting(context, "router.http.max-connections")));
    }

    private static String setting(CamelContext context, String key) {
        return context.resolvePropertyPlaceholders("{{" + key + "}}").trim();
    }
}
