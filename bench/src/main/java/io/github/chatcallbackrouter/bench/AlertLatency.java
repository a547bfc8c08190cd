package io.github.chatcallbackrouter.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Alert-to-Slack latency: over-limit alarms posted one at a time, each with its own grouping key (so none is
 * folded), each sent only once the previous Slack post arrived plus the router's pacing interval and a margin
 * (so pacing delays none); latency = fake Slack's arrival time - the time the callback was sent.
 */
final class AlertLatency {

    /** Measured latencies of the counted alarms, and the cold first alarm after start-up on its own. */
    record Result(int warmUp, int counted, int missing, double firstColdMillis, long spacingMillis,
            Latencies latencies, Map<String, Long> nonOk) {
    }

    private static final long SLACK_WAIT_MILLIS = 10_000;

    private AlertLatency() {
    }

    static Result measure(int port, SignedCallbacks callbacks, FakeSlack slack, HttpClient http, int warmUp,
            int count, long minIntervalMillis) throws IOException, InterruptedException {
        long spacing = minIntervalMillis + 100;
        Latencies latencies = new Latencies();
        Map<String, Long> nonOk = new LinkedHashMap<>();
        double firstCold = Double.NaN;
        int missing = 0;
        for (int n = 1; n <= warmUp + count; n++) {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + callbacks.uri(SignedCallbacks.OVER_LIMIT)))
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(callbacks.overLimitAlarm(n).getBytes()))
                    .build();
            long sent = System.nanoTime();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (!Ack.isOk(answer.statusCode(), answer.body())) {
                nonOk.merge(Ack.describe(answer.statusCode(), answer.body()), 1L, Long::sum);
                continue;
            }
            long arrived = slack.awaitAlarm(n, SLACK_WAIT_MILLIS);
            if (arrived < 0) {
                if (n > warmUp) {
                    missing++;
                }
                continue;
            }
            if (n == 1) {
                firstCold = (arrived - sent) / 1e6;
            }
            if (n > warmUp) {
                latencies.record(arrived - sent);
            }
            Thread.sleep(spacing);
        }
        return new Result(warmUp, count, missing, firstCold, spacing, latencies, nonOk);
    }
}
