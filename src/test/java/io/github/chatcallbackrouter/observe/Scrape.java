package io.github.chatcallbackrouter.observe;

import io.github.chatcallbackrouter.RunningRouter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One scrape of the router's /observe/metrics, read as Prometheus text. */
public record Scrape(String text) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static Scrape of(RunningRouter router) throws Exception {
        return at(router.managementUrl("/observe/metrics"));
    }

    /** The metrics at this URL (a router process's management URL of /observe/metrics). */
    public static Scrape at(String metricsUrl) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
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
