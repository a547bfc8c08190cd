package io.github.chatcallbackrouter.kamelet;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertClassifier;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import io.github.chatcallbackrouter.support.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The {@code tencent-chat-alarm-action} Kamelet: the router's {@link AlertClassifier} over a callback event (as the
 * callback source emits it, JSON): an over-limit or daily group-quota alarm becomes its enriched alert as JSON (API
 * name, documented limit, usage, severity), with the classifier's headers (AlertSeverity, AlertType, AlertApi);
 * anything else goes no further.
 */
public final class AlarmAction implements Processor {

    private final AlertClassifier classifier = new AlertClassifier();

    @Override
    public void process(Exchange exchange) throws Exception {
        exchange.getIn().setBody(Json.MAPPER.readValue(exchange.getIn().getBody(String.class), CallbackEvent.class));
        classifier.process(exchange);
        if (!(exchange.getIn().getBody() instanceof Alert alert)) {
            exchange.setRouteStop(true);
            return;
        }
        exchange.getIn().setBody(Json.MAPPER.writeValueAsString(alert));
    }
}
