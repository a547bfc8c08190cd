package io.github.chatcallbackrouter.callback;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * What crosses between the HTTP request or answer and the Camel message on the callback endpoint. Nothing comes
 * in: {@link CallbackIntake} reads the method and the raw query, which platform-http sets itself, so an HTTP
 * header or a decoded parameter can never stand in for a signed one (and copying them cost a quarter of a
 * callback's CPU). Out go only the answer's own headers, Content-Type and Allow: none of the router's headers
 * (ChatEventId, a Kafka key, ...) ever reaches the caller, whatever a route left on the message.
 */
public final class CallbackHeaderFilter implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !headerName.equalsIgnoreCase("Content-Type") && !headerName.equalsIgnoreCase("Allow");
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
