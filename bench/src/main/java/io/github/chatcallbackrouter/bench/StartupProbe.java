package io.github.chatcallbackrouter.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Start-up time: from spawning the process to the first OK answer to the workload's request, polled every ~10 ms. */
final class StartupProbe {

    private StartupProbe() {
    }

    static double millisToFirstOk(ServerProcess server, int port, Workload workload, HttpClient http,
            Duration timeout) throws InterruptedException {
        long deadline = server.spawnedAt() + timeout.toNanos();
        String last = "no answer (port not open)";
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException(server.name() + " exited during start-up:\n" + server.logTail());
            }
            Workload.Request first = workload.cycle().get(0);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + first.uri()))
                    .timeout(Duration.ofSeconds(2))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(first.body().getBytes()))
                    .build();
            try {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                long answeredAt = System.nanoTime();
                if (workload.isOk(answer.statusCode(), answer.body())) {
                    return (answeredAt - server.spawnedAt()) / 1e6;
                }
                last = Ack.describe(answer.statusCode(), answer.body());
            } catch (IOException notYetListening) {
                // connection refused until the port opens
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(server.name() + " gave no OK answer within " + timeout + "; last: " + last
                + "\n" + server.logTail());
    }
}
