package io.github.chatcallbackrouter.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.util.TimeUtils;

/**
 * /observe/health's word on deliveries. DOWN while deliveries are held in memory because the outbox's disk refuses
 * them (a crash would lose them). A destination that fails, refuses every delivery, or whose outbox is
 * nearly full makes the router DEGRADED: the check stays UP (the router still takes every callback, and a load
 * balancer must not take it out for a backend that is down for every instance alike) and its message begins with
 * {@code DEGRADED:}, naming the destination, since when it fails, how many deliveries wait for it and how old the
 * oldest is. The gauges chat_destination_failing and chat_destination_queued say the same for alerting.
 */
final class DeliveryHealthCheck extends AbstractHealthCheck {

    /** The share of its outbox cap at which a destination makes the router DEGRADED. */
    static final double NEARLY_FULL = 0.8;

    private final Supplier<List<DeliveryEngine.LaneStatus>> lanes;
    private final Supplier<Integer> heldForDisk;
    private final Supplier<String> outboxFailure;

    /**
     * @param lanes         what waits, per lane
     * @param heldForDisk   deliveries held in memory because the outbox's disk refused them
     * @param outboxFailure why the outbox could not be written last, or null
     */
    DeliveryHealthCheck(Supplier<List<DeliveryEngine.LaneStatus>> lanes, Supplier<Integer> heldForDisk,
                        Supplier<String> outboxFailure) {
        super("router", "deliveries");
        this.lanes = lanes;
        this.heldForDisk = heldForDisk;
        this.outboxFailure = outboxFailure;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> degraded = new ArrayList<>();
        int waiting = 0;
        for (DeliveryEngine.LaneStatus lane : lanes.get()) {
            waiting += lane.queued();
            // the name, not the URL: Camel's health JSON escapes a URL's slashes twice over
            String where = lane.destination();
            if (lane.failingForMillis() >= 0) {
                degraded.add(where + " has failed for " + seconds(lane.failingForMillis()) + ", " + lane.queued()
                        + " deliveries wait for it, the oldest for " + seconds(lane.oldestAgeMillis())
                        + "; last answer: " + lane.lastAnswer());
            } else if (lane.refusedInARow() >= 3) {
                degraded.add(where + " refused the last " + lane.refusedInARow() + " deliveries (dead letters);"
                        + " last answer: " + lane.lastAnswer());
            }
            if (lane.queued() >= NEARLY_FULL * lane.maxQueued()) {
                degraded.add("the outbox for " + where + " is " + (100L * lane.queued() / lane.maxQueued())
                        + "% full (" + lane.queued() + " of " + lane.maxQueued() + "); at the cap, what is not an alarm"
                        + " is refused");
            }
            builder.detail(lane.destination() + ".queued", lane.queued());
            builder.detail(lane.destination() + ".url", lane.url());
        }
        int held = heldForDisk.get();
        if (held > 0) {
            // a crash now would lose them: this router should not be sent more while it still answers
            builder.message(held + " deliveries are held in memory, not in the outbox: its disk refuses them ("
                    + outboxFailure.get() + "); they are posted as usual and written once it takes writes"
                    + (degraded.isEmpty() ? "" : "; also " + String.join("; ", degraded))).down();
            return;
        }
        String failure = outboxFailure.get();
        if (failure != null) {
            degraded.add("the outbox could not be written: " + failure);
        }
        builder.message(degraded.isEmpty() ? waiting + " deliveries waiting"
                : "DEGRADED: " + String.join("; ", degraded)).up();
    }

    private static String seconds(long millis) {
        return TimeUtils.printDuration(millis / 1000 * 1000, false);
    }
}
