package io.github.chatcallbackrouter.kamelet;

import io.github.chatcallbackrouter.callback.Apps;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import io.github.chatcallbackrouter.callback.CallbackIntake;
import io.github.chatcallbackrouter.callback.CallbackRefusedException;
import io.github.chatcallbackrouter.callback.EventHeaders;
import io.github.chatcallbackrouter.callback.RefusalAnswer;
import io.github.chatcallbackrouter.support.Json;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The front door of the {@code tencent-chat-callback-source} Kamelet: the router's own {@link CallbackIntake}
 * (SdkAppid, Sign and RequestTime, POST, a JSON object body) with the Kamelet's parameters for apps. A refused
 * request is answered with Tencent's FAIL JSON and goes no further; an accepted one becomes the event as JSON, with
 * the router's headers (ChatCommand, ChatApp, ChatEventKind, ChatIsAlert...) and, as an option, as a CloudEvent in
 * HTTP binary mode (ce-* headers). Nothing of Chat's HTTP request goes on.
 */
public final class CallbackDoor implements Processor, CamelContextAware {

    private final CallbackIntake intake = new CallbackIntake();
    private final RefusalAnswer refusals = new RefusalAnswer();
    private String sdkAppIds = "";
    private String token = "";
    private boolean cloudEvents;

    @Override
    public CamelContext getCamelContext() {
        return intake.getCamelContext();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        intake.setCamelContext(camelContext);
        refusals.setCamelContext(camelContext);
    }

    /** The SDKAppIDs whose callbacks are accepted, comma separated. */
    public void setSdkAppIds(String sdkAppIds) {
        this.sdkAppIds = sdkAppIds;
        intake.setApps(Apps.fixed(sdkAppIds, token));
    }

    /** The webhook authentication token of Chat's console; empty: no signature check. */
    public void setToken(String token) {
        this.token = token == null ? "" : token;
        if (!sdkAppIds.isEmpty()) {
            intake.setApps(Apps.fixed(sdkAppIds, this.token));
        }
    }

    /** How far RequestTime may be from this clock, in seconds. */
    public void setMaxClockSkewSeconds(long seconds) {
        intake.setMaxClockSkewSeconds(seconds);
    }

    /** Whether the event also goes as a CloudEvent (ce-* headers, binary mode). */
    public void setCloudEvents(boolean cloudEvents) {
        this.cloudEvents = cloudEvents;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        try {
            intake.process(exchange);
        } catch (CallbackRefusedException refused) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, refused);
            refusals.process(exchange);
            exchange.setRouteStop(true);
            return;
        }
        if (exchange.isRouteStop()) {
            return; // a URL check, answered OK
        }
        Message in = exchange.getIn();
        CallbackEvent event = in.getBody(CallbackEvent.class);
        in.removeHeaders("*");
        EventHeaders.set(in, event);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (cloudEvents) {
            in.setHeader("ce-specversion", "1.0");
            in.setHeader("ce-id", event.id());
            in.setHeader("ce-type", "com.tencent.cloud.chat.callback." + event.command());
            in.setHeader("ce-source", "tencent-cloud-chat/" + event.sdkAppId());
            in.setHeader("ce-time", event.receivedAt());
        }
        in.setBody(Json.MAPPER.writeValueAsString(event));
    }
}
