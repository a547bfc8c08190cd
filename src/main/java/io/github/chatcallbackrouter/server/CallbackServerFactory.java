package io.github.chatcallbackrouter.server;

import io.github.chatcallbackrouter.support.CannotStartException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;

/**
 * Camel main's HTTP server factory (looked up in the registry before the classpath default): the callback port is
 * our {@link CallbackServer}, which also serves the platform-http routes; the management port is Camel's own.
 * A port that cannot be bound stops the start at once: Camel's servers only log a warning and run on without it.
 */
public final class CallbackServerFactory extends DefaultMainHttpServerFactory {

    @Override
    public Service newHttpServer(CamelContext camelContext, HttpServerConfigurationProperties configuration) {
        long maxBody = configuration.getMaxBodySize() != null ? configuration.getMaxBodySize() : 1_048_576;
        TlsFiles tls;
        try {
            tls = TlsFiles.of(camelContext);
        } catch (IllegalArgumentException e) {
            throw new CannotStartException("The callback port's HTTPS: " + e.getMessage(), e);
        }
        CallbackServer server = new CallbackServer(camelContext, configuration.getHost(), configuration.getPort(),
                camelContext.resolvePropertyPlaceholders("{{tencent.callback-path}}"),
                ServerLimits.of(camelContext, maxBody), tls);
        server.bindAsEngine();
        return server;
    }

    @Override
    public Service newHttpManagementServer(CamelContext camelContext,
                                           HttpManagementServerConfigurationProperties configuration) {
        ensureFree(configuration.getHost(), configuration.getPort(), "management");
        return super.newHttpManagementServer(camelContext, configuration);
    }

    /** Binds the port for a moment: another process listening there makes this fail, as the server would. */
    private static void ensureFree(String host, int port, String which) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new CannotStartException("The " + which + " server cannot listen on " + host + ":" + port + ": "
                    + e.getMessage() + ". Is another router (or another program) using that port?", e);
        }
    }
}
