package io.github.chatcallbackrouter.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How hard and how long to measure. The saturation warm-up is long because the router's JIT needs it: on one core
 * its throughput is still climbing 20 s into full load (the bare server's after 4 s). The defaults are the
 * benchmark; each can be changed by an environment variable (BENCH_...) for a quick look, and the report prints the
 * values used.
 */
record Settings(
        Duration warmUp,
        Duration measure,
        int rounds,
        int connections,
        int rate,
        int rateConnections,
        Duration rateWarmUp,
        int alarmWarmUp,
        int alarms,
        long slackMinIntervalMillis,
        Duration settle,
        Duration timeout,
        List<String> routerExtraJvmArgs) {

    static Settings fromEnvironment() {
        if (number("BENCH_MEASURE_SECONDS", 10) > 50) {
            // one wrk run signs its requests once, and the router accepts a RequestTime up to 60 s old
            throw new IllegalArgumentException("BENCH_MEASURE_SECONDS must be 50 or less");
        }
        return new Settings(
                Duration.ofSeconds(number("BENCH_WARMUP_SECONDS", 30)),
                Duration.ofSeconds(number("BENCH_MEASURE_SECONDS", 10)),
                // the servers take turns at saturation, so that a slower minute of the machine falls on each
                (int) number("BENCH_ROUNDS", 3),
                (int) number("BENCH_CONNECTIONS", 32),
                (int) number("BENCH_RATE", 2000),
                (int) number("BENCH_RATE_CONNECTIONS", 32),
                Duration.ofSeconds(number("BENCH_RATE_WARMUP_SECONDS", 5)),
                // the alarm path's JIT: the saturation's mix has no alarm, so its code is cold until these
                (int) number("BENCH_ALARM_WARMUP", 200),
                (int) number("BENCH_ALARMS", 60),
                number("BENCH_SLACK_MIN_INTERVAL_MS", 100),
                Duration.ofSeconds(2),
                Duration.ofSeconds(number("BENCH_TIMEOUT_SECONDS", 900)),
                words("BENCH_ROUTER_JVM_ARGS"));
    }

    /** Extra JVM arguments for the router only, e.g. a flight recording to see where its time goes. */
    private static List<String> words(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
    }

    private static long number(String name, long fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
    }
}
