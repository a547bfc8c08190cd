package io.github.chatcallbackrouter.callback;

import org.apache.camel.Message;

/** The headers routes test to route an event; derived from the event itself, so a recovered event gets them too. */
public final class EventHeaders {

    public static final String COMMAND = "ChatCommand";
    public static final String SDKAPPID = "ChatSdkAppId";
    /** The app's name, as apps.NAME.* declares it (its SDKAppID when no app is declared). */
    public static final String APP = "ChatApp";
    public static final String KIND = "ChatEventKind";
    public static final String EVENT_ID = "ChatEventId";
    public static final String IS_ALERT = "ChatIsAlert";

    /** The two alarms, by word: each is enriched in its own way (alert/AlertClassifier). */
    public static final String OVER_LIMIT = "Alert.RequestOverLimit";
    public static final String DAILY_GROUP_QUOTA = "Group.CallbackOnDailyGroupQuotaAlarm";

    private EventHeaders() {
    }

    /** Whether the word is an alarm (the catalog's shape): journaled before the answer, sent to the channels. */
    public static boolean isAlarm(String command) {
        return CommandCatalog.get().isAlarm(command);
    }

    public static void set(Message message, CallbackEvent event) {
        message.setHeader(COMMAND, event.command());
        message.setHeader(SDKAPPID, event.sdkAppId());
        message.setHeader(APP, event.app() != null ? event.app() : event.sdkAppId());
        message.setHeader(KIND, event.kind());
        message.setHeader(EVENT_ID, event.id());
        message.setHeader(IS_ALERT, isAlarm(event.command()));
    }
}
