package io.github.chatcallbackrouter.alert;

/** How urgent an alarm is: one rule for all of them, by how much of the limit is used. */
public enum Severity {
    /** Under 100% of the limit: Chat warns from 80% (rate alarms) or 70% (daily group quota). */
    WARNING,
    /** At or over the limit: calls are being refused now (REST error 60007). */
    CRITICAL;

    public static Severity ofUsage(Double usagePercent) {
        return usagePercent != null && usagePercent < 100.0 ? WARNING : CRITICAL;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
