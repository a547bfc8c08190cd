package io.github.chatcallbackrouter.bench;

/**
 * One server at saturation: answers per second over the counted part, their p50/p99, and the server's CPU time per
 * request served then (user + system, from /proc), the figure that the machine's noise barely moves.
 *
 * @param generator what sent the load (wrk and its version, or the Java generator)
 */
record Saturation(String generator, int connections, double seconds, long ok, long nonOk, String nonOkDetail,
        double p50Millis, double p99Millis, double cpuMicrosPerRequest) {

    double okPerSecond() {
        return ok / seconds;
    }

    static Saturation of(Wrk wrk, Wrk.Run run, int connections, double cpuMicrosPerRequest) {
        return new Saturation(wrk.version() + " (1 thread)", connections, run.seconds(), run.requests() - run.nonOk(),
                run.nonOk(), run.nonOkDetail(), run.p50Millis(), run.p99Millis(), cpuMicrosPerRequest);
    }

    static Saturation of(LoadGenerator.Result result, double cpuMicrosPerRequest) {
        return new Saturation("the Java generator (wrk is not installed)", result.connections(), result.seconds(),
                result.ok(), result.nonOkCount(), String.join("; ", result.nonOk().entrySet().stream()
                        .map(e -> e.getValue() + " × " + e.getKey()).toList()),
                result.latencies().percentileMillis(0.5), result.latencies().percentileMillis(0.99),
                cpuMicrosPerRequest);
    }
}
