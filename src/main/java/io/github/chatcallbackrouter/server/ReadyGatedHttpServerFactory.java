package io.github.chatcallbackrouter.server;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.main.HttpServerConfigurationProperties;

/**
 * Camel main's HTTP server factory (looked up in the registry before the classpath default), changed in one way:
 * the callback port is opened only once every route has started. Camel 4.18 listens first and registers the
 * routes after, so a request in between gets a 404 (pitfall 14 in the Camel notes); Chat would count that as a
 * failed callback.
 */
public final class ReadyGatedHttpServerFactory extends DefaultMainHttpServerFactory {

    @Override
    public Service newHttpServer(CamelContext camelContext, HttpServerConfigurationProperties configuration) {
        MainHttpServer configured = (MainHttpServer) super.newHttpServer(camelContext, configuration);
        return new ReadyGatedHttpServer(camelContext, configured.getConfiguration());
    }
}
