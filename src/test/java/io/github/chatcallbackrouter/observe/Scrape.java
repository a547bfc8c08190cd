package io.github.chatcallbackrouter.observe;

import io.github.chatcallbackrouter.RunningRouter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One scrape of the router's /observe/metrics, read as Prometheus text. */
public record Scrape(String text) {

    public static Scrape of(RunningRouter router) throws Exception {
        HttpResponse<String> answer = router.send(HttpRequest.newBuilder(
                URI.create(router.managementUrl("/observe/metrics"))).build());
        if (answer.statusCode() != 200) {
            throw new AssertionError("/observe/metrics answered " + answer.statusCode());
        }
        return new Scrape(answer.body());
    }

    /** The value of one series, e.g. {@code chat_alerts_total{severity="critical",type="api-over-limit"}}; 0 if absent. */
    public double value(String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
