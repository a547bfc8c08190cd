package io.github.chatcallbackrouter.journal;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.util.TimeUtils;

/**
 * DOWN when alarms are not getting through the journal: the last alarm could not be journaled and one of its size
 * still cannot be (a full or broken disk: alarms are refused now), or an alarm has waited longer than {@code maxAge} to be routed (a rule sends
 * nowhere, a delivery route is missing). Either way somebody has to look, and /observe/health says so.
 */
public final class JournalHealthCheck extends AbstractHealthCheck {

    private Spool journal;
    private long maxAgeMillis = 60_000;

    public JournalHealthCheck() {
        super("router", "alarm-journal");
    }

    public void setJournal(Spool journal) {
        this.journal = journal;
    }

    /** How long an alarm may wait in the journal before the router counts as stuck, e.g. 60s. */
    public void setMaxAge(String duration) {
        this.maxAgeMillis = TimeUtils.toMilliSeconds(duration);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            check(builder);
        } catch (RuntimeException e) {
            builder.message("cannot read the journal: " + e.getMessage()).down();
        }
    }

    private void check(HealthCheckResultBuilder builder) {
        String failure = journal.lastWriteFailure();
        if (failure != null && !journal.writableAgain()) {
            builder.message("alarms cannot be journaled, so they are refused: " + failure).down();
            return;
        }
        long age = journal.oldestAgeMillis().orElse(0L);
        builder.detail("oldest.age.seconds", age / 1000);
        if (age > maxAgeMillis) {
            builder.message("an alarm has waited " + age / 1000 + " s in the journal without being routed (more than "
                    + maxAgeMillis / 1000 + " s): a rule or a delivery route is failing; see the log").down();
        } else {
            builder.up();
        }
    }
}
