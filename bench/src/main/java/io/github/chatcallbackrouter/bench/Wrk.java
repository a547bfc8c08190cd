package io.github.chatcallbackrouter.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (https://github.com/wg/wrk, Debian's package), the load generator for saturation when it is installed: one C
 * thread on one core drives far more requests than a server on the other core can answer, so what is measured is
 * the server. It runs as this tool's child and so on this tool's CPUs. It checks the status of each answer, not
 * the body (a Lua check per answer would slow it down); the fixed-rate phase, by the Java generator, checks every
 * body.
 */
final class Wrk {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)%\\s+([\\d.]+)(us|ms|s|m)\\s*$",
            Pattern.MULTILINE);

    private final Machine.Program wrk;
    private final Path scratch;

    private Wrk(Machine.Program wrk, Path scratch) {
        this.wrk = wrk;
        this.scratch = scratch;
    }

    /** wrk from PATH, or empty when it is not installed; its Lua scripts go to {@code scratch}. */
    static Optional<Wrk> onPath(Path scratch) {
        return Machine.program("--version", "wrk").map(program -> new Wrk(program, scratch));
    }

    String version() {
        return wrk.version().replaceFirst("\\s*Copyright.*", "");
    }

    /** What one run of wrk measured. */
    record Run(long requests, double seconds, long nonOk, String nonOkDetail, double p50Millis, double p99Millis) {
    }

    /**
     * Closed loop for {@code duration} over {@code connections} connections, the workload's requests in turn
     * (signed when this is called: each run is short enough for the signature to stay valid).
     */
    Run run(int port, Workload workload, int connections, Duration duration) throws IOException, InterruptedException {
        Path script = Files.createDirectories(scratch).resolve("requests.lua");
        Files.writeString(script, lua(workload.cycle()));
        List<String> command = List.of(wrk.path().toString(), "-t1", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--latency", "-s", script.toString(), "http://127.0.0.1:" + port);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("wrk failed: " + String.join(" ", command) + "\n" + out);
        }
        return parse(out);
    }

    static Run parse(String out) {
        Matcher requests = find(REQUESTS, out);
        long nonOk = 0;
        List<String> detail = new ArrayList<>();
        Matcher non2xx = NON_2XX.matcher(out);
        if (non2xx.find()) {
            nonOk += Long.parseLong(non2xx.group(1));
            detail.add(non2xx.group(1) + " answers not 2xx");
        }
        Matcher socket = SOCKET_ERRORS.matcher(out);
        if (socket.find()) {
            long errors = 0;
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
            nonOk += errors;
            detail.add("socket errors: " + socket.group().substring("Socket errors: ".length()));
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher percentile = PERCENTILE.matcher(out);
        while (percentile.find()) {
            double millis = millis(percentile.group(2), percentile.group(3));
            if (percentile.group(1).equals("50")) {
                p50 = millis;
            } else {
                p99 = millis;
            }
        }
        return new Run(Long.parseLong(requests.group(1)), millis(requests.group(2), requests.group(3)) / 1000,
                nonOk, String.join("; ", detail), p50, p99);
    }

    private static Matcher find(Pattern pattern, String out) {
        Matcher matcher = pattern.matcher(out);
        if (!matcher.find()) {
            throw new IllegalStateException("wrk's output has no " + pattern + ":\n" + out);
        }
        return matcher;
    }

    private static double millis(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> number / 1000;
            case "ms" -> number;
            case "s" -> number * 1000;
            default -> number * 60_000;
        };
    }

    /** The requests, formatted once at start, then sent in turn. */
    private static String lua(List<Workload.Request> requests) {
        StringBuilder lua = new StringBuilder("local requests = {}\nlocal sent = 0\ninit = function(args)\n");
        for (Workload.Request request : requests) {
            lua.append("  requests[#requests + 1] = wrk.format('POST', ").append(quoted(request.uri()))
                    .append(", {['Content-Type'] = 'application/json'}, ").append(quoted(request.body().toString()))
                    .append(")\n");
        }
        lua.append("end\nrequest = function()\n  sent = sent % #requests + 1\n  return requests[sent]\nend\n");
        return lua.toString();
    }

    /** A Lua long string: nothing in it is an escape. */
    private static String quoted(String text) {
        String level = "=";
        while (text.contains("]" + level + "]")) {
            level += "=";
        }
        return "[" + level + "[" + text + "]" + level + "]";
    }
}
