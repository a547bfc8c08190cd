package io.github.chatcallbackrouter.journal;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.util.TimeUtils;

/**
 * DOWN when alarms are not kept as they should be or not getting through: some are held in memory because the
 * journal's disk refuses them (a crash now would lose them, so a load balancer should send Chat elsewhere while this
 * router still answers what reaches it), or an alarm has waited longer than {@code maxAge} to be routed (a rule
 * sends nowhere, a delivery route is missing). Either way somebody has to look, and /observe/health says why.
 */
public final class JournalHealthCheck extends AbstractHealthCheck {

    private AlarmJournal journal;
    private long maxAgeMillis = 60_000;

    public JournalHealthCheck() {
        super("router", "alarm-journal");
    }

    public void setJournal(AlarmJournal journal) {
        this.journal = journal;
    }

    /** How long an alarm may wait in the journal before the router counts as stuck, e.g. 60s. */
    public void setMaxAge(String duration) {
        this.maxAgeMillis = TimeUtils.toMilliSeconds(duration);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            check(builder, journal.keeping());
        } catch (RuntimeException e) {
            builder.message("cannot read the journal: " + e.getMessage()).down();
        }
    }

    private void check(HealthCheckResultBuilder builder, AlarmKeeping keeping) {
        int inMemory = keeping.heldInMemory();
        builder.detail("alarms.in.memory", inMemory);
        if (inMemory > 0) {
            builder.message(inMemory + " alarms are held in memory, not journaled: the journal's disk refuses them ("
                    + keeping.lastWriteFailure() + "); they are routed as usual and written once it takes writes")
                    .down();
            return;
        }
        long age = keeping.oldestAgeMillis().orElse(0L);
        builder.detail("oldest.age.seconds", age / 1000);
        if (age > maxAgeMillis) {
            builder.message("an alarm has waited " + age / 1000 + " s in the journal without being routed (more than "
                    + maxAgeMillis / 1000 + " s): a rule or a delivery route is failing; see the log").down();
        } else {
            builder.up();
        }
    }
}
