package io.github.chatcallbackrouter.upstream;

import io.github.chatcallbackrouter.callback.Apps;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.delivery.HttpReceiver;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * The apps' backends as receivers of the delivery engine (upstream.camel.yaml): a delivery for {@code upstream:APP}
 * is signed again, at each try, with that app's token, and carries that app's Authorization, read from the
 * settings of the moment; neither is ever kept with the delivery. Answers are read as any HTTP endpoint's.
 */
public final class BackendReceiver extends HttpReceiver implements CamelContextAware {

    private CamelContext camelContext;

    public BackendReceiver() {
        super("", "");
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    protected String signingToken(Delivery delivery) {
        return app(delivery).map(Apps.App::token).orElse("");
    }

    @Override
    protected String authorization(Delivery delivery) {
        return app(delivery).map(app -> app.setting("upstream.authorization")).orElse("");
    }

    /** The app of {@code upstream:APP}; an entry kept before deliveries named their app is the only app's. */
    private java.util.Optional<Apps.App> app(Delivery delivery) {
        String destination = delivery.destination();
        Apps apps = Apps.of(camelContext);
        if (destination.contains(":")) {
            return apps.byName(destination.substring(destination.indexOf(':') + 1));
        }
        return apps.all().size() == 1 ? apps.all().stream().findFirst() : java.util.Optional.empty();
    }
}
