package io.github.chatcallbackrouter.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.TestClock;
import io.github.chatcallbackrouter.channel.DingTalkRobot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The delivery engine on a clock the test moves: pacing, rate windows, backoff, Retry-After, long bans, giving up,
 * refusals, lanes that do not wait for each other, alarms first, the outbox cap, duplicates. Nothing sleeps: each
 * test asks the engine what it would start now, answers for the receiver, and moves the clock.
 */
class DeliveryEngineTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final String SLACK = "https://hooks.slack.com/services/T0/B0/x";
    private static final String BACKEND = "http://backend.example/im";

    private final TestClock clock = new TestClock(START);
    private final Map<String, Destination> destinations = Map.of(
            "slack", destination("slack", 1000, 1, 100_000),
            "upstream", destination("upstream", 0, 32, 100_000),
            "capped", destination("capped", 0, 1, 5),
            "robot", robot());
    private final DeliveryEngine engine = new DeliveryEngine(clock, name -> {
        Destination destination = destinations.get(name.replaceFirst(":.*", ""));
        if (destination == null) {
            throw new IllegalArgumentException("no destination " + name);
        }
        return destination;
    }, 10);
    private int sequence;

    private static Destination destination(String name, long minIntervalMillis, int maxInFlight, int maxQueued) {
        Destination destination = new Destination();
        destination.setName(name);
        destination.setMinIntervalMillis(minIntervalMillis);
        destination.setMaxInFlight(maxInFlight);
        destination.setMaxQueued(maxQueued);
        destination.setInitialDelay("1s");
        destination.setMaxDelay("1m");
        destination.setGiveUpAfter("1h");
        return destination;
    }

    /** A group robot: 20 messages a minute, several in flight. */
    private static Destination robot() {
        Destination robot = destination("robot", 0, 5, 1000);
        robot.addRateLimit(20, "1m");
        return robot;
    }

    private Delivery delivery(String destination, String url, boolean alarm) {
        String id = "d" + sequence++;
        return new Delivery(id, destination, url, null, false, "{}", "application/json", false, id,
                clock.instant().toString(), alarm);
    }

    private DeliveryEngine.Entry keep(Delivery delivery) {
        DeliveryEngine.Admission admission = engine.admit(delivery);
        assertThat(admission.accepted()).as(admission.refusal()).isTrue();
        engine.kept(admission.entry(), "at-" + delivery.id());
        return admission.entry();
    }

    private List<DeliveryEngine.Post> posts(DeliveryEngine.Work work) {
        List<DeliveryEngine.Post> posts = new ArrayList<>();
        for (DeliveryEngine.Action action : work.actions()) {
            if (action instanceof DeliveryEngine.Post post) {
                posts.add(post);
            }
        }
        return posts;
    }

    private List<DeliveryEngine.Bury> buried(List<DeliveryEngine.Action> actions) {
        return actions.stream().filter(DeliveryEngine.Bury.class::isInstance).map(DeliveryEngine.Bury.class::cast)
                .toList();
    }

    private List<DeliveryEngine.Action> answer(DeliveryEngine.Post post, Verdict verdict) {
        return engine.completed(post.entry(), null, verdict);
    }

    private long waitMillis(DeliveryEngine.Work work) {
        return work.nextWakeMillis() - clock.millis();
    }

    @Test
    void postsToOneWebhookAreSpacedByItsMinimumInterval() {
        for (int i = 0; i < 3; i++) {
            keep(delivery("slack", SLACK, true));
        }
        for (int i = 0; i < 3; i++) {
            DeliveryEngine.Work work = engine.dispatch();
            assertThat(posts(work)).as("post " + i).hasSize(1);
            answer(posts(work).get(0), Verdict.delivered("HTTP 200 ok"));
            DeliveryEngine.Work next = engine.dispatch();
            assertThat(posts(next)).as("nothing before the interval").isEmpty();
            if (i < 2) {
                assertThat(waitMillis(next)).isEqualTo(1000);
            }
            clock.advance(Duration.ofMillis(1000));
        }
        assertThat(engine.size()).isZero();
    }

    @Test
    void aRobotGetsNoMoreThanItsRateWindowAllows() {
        for (int i = 0; i < 50; i++) {
            keep(delivery("robot", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", true));
        }
        List<Long> starts = new ArrayList<>();
        while (engine.size() > 0) {
            DeliveryEngine.Work work = engine.dispatch();
            for (DeliveryEngine.Post post : posts(work)) {
                starts.add(clock.millis() - START.toEpochMilli());
                answer(post, Verdict.delivered("errcode 0"));
            }
            if (posts(work).isEmpty()) {
                assertThat(engine.status().get(0).nextPostInMillis()).as("what health says of the wait")
                        .isEqualTo(waitMillis(work));
                clock.advance(Duration.ofMillis(waitMillis(work)));
            }
        }
        assertThat(engine.status().get(0).nextPostInMillis()).as("nothing waits").isZero();
        assertThat(starts).hasSize(50);
        for (int i = 20; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 20)).as("post " + i + " and the 20th before it")
                    .isGreaterThanOrEqualTo(60_000);
        }
        assertThat(starts.get(49)).isEqualTo(120_000);
    }

    @Test
    void aFailingDestinationBacksOffExponentiallyWithJitterOnePostAtATime() {
        for (int i = 0; i < 5; i++) {
            keep(delivery("upstream", BACKEND, false));
        }
        DeliveryEngine.Work first = engine.dispatch();
        assertThat(posts(first)).as("all five at once while it answers").hasSize(5);
        // all five fail together: one failure, not five in a row
        for (DeliveryEngine.Post post : posts(first)) {
            assertThat(answer(post, Verdict.retry("ConnectException: Connection refused"))).isEmpty();
        }
        long expected = 1000;
        for (int failure = 2; failure <= 9; failure++) {
            DeliveryEngine.Work paused = engine.dispatch();
            assertThat(posts(paused)).isEmpty();
            long wait = waitMillis(paused);
            long base = Math.min(expected, 60_000);
            assertThat(wait).as("pause before try " + failure).isBetween(base / 2 - 1, base * 3 / 2);
            clock.advance(Duration.ofMillis(wait));
            List<DeliveryEngine.Post> probe = posts(engine.dispatch());
            assertThat(probe).as("one post at a time while it fails").hasSize(1);
            answer(probe.get(0), Verdict.retry("HTTP 503"));
            expected *= 2;
        }
        assertThat(engine.status().get(0).failingForMillis()).isPositive();
        assertThat(engine.status().get(0).lastAnswer()).isEqualTo("HTTP 503");
    }

    @Test
    void aRateLimitWaitsExactlyWhatTheReceiverAsked() {
        keep(delivery("slack", SLACK, true));
        keep(delivery("slack", SLACK, true));
        DeliveryEngine.Post post = posts(engine.dispatch()).get(0);

        assertThat(answer(post, Verdict.rateLimited(7_000, "HTTP 429 rate_limited"))).isEmpty();

        DeliveryEngine.Work paused = engine.dispatch();
        assertThat(posts(paused)).isEmpty();
        assertThat(waitMillis(paused)).isEqualTo(7_000);
        assertThat(engine.status().get(0).nextPostInMillis()).isEqualTo(7_000);
        clock.advance(Duration.ofMillis(6_999));
        assertThat(posts(engine.dispatch())).isEmpty();
        clock.advance(Duration.ofMillis(1));
        List<DeliveryEngine.Post> retried = posts(engine.dispatch());
        assertThat(retried).hasSize(1);
        assertThat(retried.get(0).entry()).as("the one that was throttled, first").isSameAs(post.entry());
    }

    @Test
    void aLongBanIsWaitedOutWithoutGivingUp() {
        keep(delivery("robot", "https://oapi.dingtalk.com/robot/send?access_token=t", true));
        DeliveryEngine.Post post = posts(engine.dispatch()).get(0);

        answer(post, Verdict.rateLimited(Duration.ofMinutes(10).toMillis(), "errcode 130101 send too fast"));
        clock.advance(Duration.ofMinutes(10));

        List<DeliveryEngine.Post> after = posts(engine.dispatch());
        assertThat(after).hasSize(1);
        assertThat(answer(after.get(0), Verdict.delivered("errcode 0"))).hasSize(1)
                .allMatch(DeliveryEngine.Delivered.class::isInstance);
    }

    @Test
    void deliveriesAreGivenUpWhenTheirDestinationHasFailedForGiveUpAfterAndOnlyThen() {
        for (int i = 0; i < 3; i++) {
            keep(delivery("upstream", BACKEND, false));
        }
        List<DeliveryEngine.Bury> buried = new ArrayList<>();
        List<DeliveryEngine.Post> first = posts(engine.dispatch());
        for (DeliveryEngine.Post post : first) {
            buried.addAll(buried(answer(post, Verdict.retry("ConnectException: Connection refused"))));
        }
        // queued half an hour into the outage: it has its own hour
        clock.advance(Duration.ofMinutes(30));
        DeliveryEngine.Entry late = keep(delivery("upstream", BACKEND, false));
        while (clock.millis() - START.toEpochMilli() < Duration.ofMinutes(100).toMillis()) {
            DeliveryEngine.Work work = engine.dispatch();
            buried.addAll(buried(work.actions()));
            for (DeliveryEngine.Post post : posts(work)) {
                buried.addAll(buried(answer(post, Verdict.retry("ConnectException: Connection refused"))));
            }
            // a delivery is given up when its next try would come after its hour: up to 1.5 x max-delay (1m) early
            long elapsed = clock.millis() - START.toEpochMilli();
            if (elapsed < Duration.ofMinutes(58).toMillis()) {
                assertThat(buried).as("nothing is given up within the hour").isEmpty();
            }
            if (elapsed > Duration.ofMinutes(61).toMillis() && elapsed < Duration.ofMinutes(88).toMillis()) {
                assertThat(buried).as("the first three after their hour").hasSize(3)
                        .noneMatch(bury -> bury.entry() == late);
            }
            clock.advance(Duration.ofMillis(Math.max(1, Math.min(waitMillis(work), 60_000))));
        }
        assertThat(buried).hasSize(4);
        assertThat(buried).allMatch(bury -> bury.reason().contains("ConnectException: Connection refused"));
        assertThat(engine.size()).as("given up: only the dead letter is left to write").isEqualTo(4);
        buried.forEach(bury -> engine.buried(bury.entry()));
        assertThat(engine.size()).isZero();
    }

    @Test
    void aRefusalIsDeadLetteredAtOnceWithTheReceiversWordsAndTheNextGoesOn() {
        keep(delivery("slack", SLACK, true));
        keep(delivery("slack", SLACK, true));
        DeliveryEngine.Post post = posts(engine.dispatch()).get(0);

        List<DeliveryEngine.Bury> buried = buried(answer(post, Verdict.refused("HTTP 404 channel_not_found")));

        assertThat(buried).hasSize(1);
        assertThat(buried.get(0).reason()).isEqualTo("slack refused it: HTTP 404 channel_not_found");
        assertThat(buried.get(0).attempts()).hasSize(1);
        assertThat(buried.get(0).attempts().get(0).answer()).isEqualTo("HTTP 404 channel_not_found");
        clock.advance(Duration.ofSeconds(1));
        assertThat(posts(engine.dispatch())).hasSize(1);
    }

    @Test
    void aDingTalkThrottleIsWaitedOutForItsTenMinutesThenDelivered() {
        keep(delivery("robot", "https://oapi.dingtalk.com/robot/send?access_token=t", true));
        Verdict throttled = new DingTalkRobot().judge(new Receiver.Answer(200, Map.of(),
                "{\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"}"));

        assertThat(answer(posts(engine.dispatch()).get(0), throttled)).isEmpty();
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(posts(engine.dispatch())).as("still blocked").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        answer(posts(engine.dispatch()).get(0), Verdict.delivered("errcode 0 ok"));

        assertThat(engine.size()).isZero();
    }

    @Test
    void aMessageThatWentOutUnansweredIsTriedOnceMoreThenDeadLettered() {
        keep(delivery("robot", "https://oapi.dingtalk.com/robot/send?access_token=t", true));

        assertThat(answer(posts(engine.dispatch()).get(0), Verdict.unknown("timeout: no answer within 10000 ms")))
                .as("tried again once").isEmpty();
        clock.advance(Duration.ofMinutes(2));
        List<DeliveryEngine.Bury> dead = buried(answer(posts(engine.dispatch()).get(0),
                Verdict.unknown("timeout: no answer within 10000 ms")));

        assertThat(dead).singleElement().extracting(DeliveryEngine.Bury::reason).asString()
                .startsWith("no answer twice after it went out").contains("not tried a third time");
    }

    @Test
    void aDeadDestinationDelaysOnlyItself() {
        for (int i = 0; i < 3000; i++) {
            keep(delivery("upstream", BACKEND, false));
        }
        for (DeliveryEngine.Post post : posts(engine.dispatch())) {
            answer(post, Verdict.retry("timeout"));
        }
        keep(delivery("slack", SLACK, true));

        List<DeliveryEngine.Post> now = posts(engine.dispatch());

        assertThat(now).hasSize(1);
        assertThat(now.get(0).entry().destination()).isEqualTo("slack");
    }

    @Test
    void anAlarmGoesBeforeTheRelaysQueuedForTheSameDestination() {
        Destination backend = destinations.get("upstream");
        backend.setMaxInFlight(1);
        for (int i = 0; i < 100; i++) {
            keep(delivery("upstream", BACKEND, false));
        }
        DeliveryEngine.Entry alarm = keep(delivery("upstream", BACKEND, true));

        List<DeliveryEngine.Post> first = posts(engine.dispatch());

        assertThat(first).hasSize(1);
        assertThat(first.get(0).entry()).isSameAs(alarm);
    }

    @Test
    void aFullOutboxRefusesWhatIsNotAnAlarmAndNeverAnAlarm() {
        for (int i = 0; i < 5; i++) {
            keep(delivery("capped", BACKEND, false));
        }

        DeliveryEngine.Admission refused = engine.admit(delivery("capped", BACKEND, false));
        DeliveryEngine.Admission alarm = engine.admit(delivery("capped", BACKEND, true));

        assertThat(refused.accepted()).isFalse();
        assertThat(refused.refusal()).contains("outbox for capped is full (5 deliveries");
        assertThat(alarm.accepted()).isTrue();
    }

    @Test
    void theSameDeliveryKeptTwiceIsPostedOnce() {
        Delivery delivery = delivery("slack", SLACK, true);
        keep(delivery);

        DeliveryEngine.Admission again = engine.admit(delivery);
        assertThat(again.accepted()).isFalse();
        assertThat(again.already()).isNotNull();

        answer(posts(engine.dispatch()).get(0), Verdict.delivered("ok"));
        DeliveryEngine.Admission afterDelivery = engine.admit(delivery);
        assertThat(afterDelivery.accepted()).isFalse();
        assertThat(afterDelivery.already()).isCompleted();
        clock.advance(Duration.ofSeconds(5));
        assertThat(posts(engine.dispatch())).isEmpty();
    }

    @Test
    void deliveriesKeptInMemoryAreBoundedAndCounted() {
        for (int i = 0; i < 10; i++) {
            Delivery inMemory = new Delivery("m" + i, "upstream", BACKEND, null, false, "{}", "application/json",
                    true, "x", START.toString(), false);
            DeliveryEngine.Admission admission = engine.admit(inMemory);
            assertThat(admission.accepted()).isTrue();
            engine.kept(admission.entry(), null);
        }
        Delivery eleventh = new Delivery("d-11", "upstream", BACKEND, null, false, "{}", "application/json", true,
                "x", START.toString(), false);
        assertThat(engine.admit(eleventh).refusal()).contains("kept in memory are at their limit (10)");
        assertThat(engine.memoryHeld()).isEqualTo(10);
    }
}
