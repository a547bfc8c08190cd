package io.github.chatcallbackrouter.support;

/**
 * A bean that reads settings as it goes (not only when it is made), told when a reload has read the settings file
 * again, so it reads the new values (the Slack channels a reloaded rule sends to).
 */
public interface SettingsListener {

    void settingsReloaded();
}
