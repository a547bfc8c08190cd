package io.github.chatcallbackrouter.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * One server at saturation: answers per second over the counted part, their p50/p99, and the server's CPU time per
 * request served then (user + system, from /proc), the figure that the machine's noise barely moves.
 *
 * @param generator what sent the load (wrk and its version, or the Java generator)
 */
record Saturation(String generator, int connections, double seconds, long ok, long nonOk, String nonOkDetail,
        double okPerSecond, double p50Millis, double p99Millis, double cpuMicrosPerRequest) {

    static Saturation of(Wrk wrk, Wrk.Run run, int connections, double cpuMicrosPerRequest) {
        long ok = run.requests() - run.nonOk();
        return new Saturation(wrk.version() + " (1 thread)", connections, run.seconds(), ok, run.nonOk(),
                run.nonOkDetail(), ok / run.seconds(), run.p50Millis(), run.p99Millis(), cpuMicrosPerRequest);
    }

    static Saturation of(LoadGenerator.Result result, double cpuMicrosPerRequest) {
        return new Saturation("the Java generator (wrk is not installed)", result.connections(), result.seconds(),
                result.ok(), result.nonOkCount(), String.join("; ", result.nonOk().entrySet().stream()
                        .map(e -> e.getValue() + " × " + e.getKey()).toList()),
                result.ok() / result.seconds(), result.latencies().percentileMillis(0.5),
                result.latencies().percentileMillis(0.99), cpuMicrosPerRequest);
    }

    /** The rounds of one server as one: each figure the median of the rounds', the counts their sums. */
    static Saturation medianOf(List<Saturation> rounds) {
        Saturation first = rounds.get(0);
        return new Saturation(first.generator(), first.connections(),
                rounds.stream().mapToDouble(Saturation::seconds).sum(),
                rounds.stream().mapToLong(Saturation::ok).sum(),
                rounds.stream().mapToLong(Saturation::nonOk).sum(),
                rounds.stream().map(Saturation::nonOkDetail).filter(detail -> !detail.isBlank())
                        .collect(Collectors.joining("; ")),
                median(rounds, Saturation::okPerSecond), median(rounds, Saturation::p50Millis),
                median(rounds, Saturation::p99Millis), median(rounds, Saturation::cpuMicrosPerRequest));
    }

    private static double median(List<Saturation> rounds, ToDoubleFunction<Saturation> figure) {
        double[] sorted = rounds.stream().mapToDouble(figure).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
