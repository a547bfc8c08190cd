package io.github.chatcallbackrouter.delivery;

import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.journal.DataDirectoryLock;
import io.github.chatcallbackrouter.journal.Spool;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code java -jar chat-callback-router.jar replay [--dry-run]}: sends every dead letter again, once, and removes
 * those its destination took. What fails again stays, with the new answer printed. A relayed callback is signed
 * afresh with the token, as the delivery route does.
 */
public final class Replay {

    private final Path dataDir;
    private final String token;
    private final Spool deadLetters;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Replay(String dataDir, String token, PrintStream out) {
        this.dataDir = Path.of(dataDir);
        this.token = token;
        this.deadLetters = new Spool();
        deadLetters.setDirectory(dataDir + "/dead-letter");
        deadLetters.setType(DeadLetter.class.getName());
        this.out = out;
    }

    /**
     * Returns how many dead letters are still there afterwards. A real replay holds the data directory's lock,
     * so it never runs beside the router or another replay (each would post every letter); a dry run only reads.
     */
    public int run(boolean dryRun) throws InterruptedException {
        if (dryRun) {
            return replay(true);
        }
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir, "replay")) {
            return replay(false);
        }
    }

    private int replay(boolean dryRun) throws InterruptedException {
        int left = 0;
        for (Object entry : deadLetters.all()) {
            DeadLetter letter = (DeadLetter) entry;
            Delivery delivery = letter.delivery();
            if (dryRun) {
                out.println("would send " + letter.id() + " (" + delivery.subject() + "), dead-lettered because "
                        + letter.reason());
                left++;
                continue;
            }
            String answer;
            try {
                String query = delivery.signed() ? CallbackSignature.resign(delivery.query(), token,
                        Instant.now().getEpochSecond()) : delivery.query();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(delivery.url()
                                + (query == null || query.isEmpty() ? "" : "?" + query)))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", delivery.contentType())
                        .POST(HttpRequest.BodyPublishers.ofString(delivery.body())).build(),
                        HttpResponse.BodyHandlers.ofString());
                answer = "HTTP " + response.statusCode() + " " + response.body().strip();
                if (response.statusCode() / 100 == 2) {
                    deadLetters.remove(letter.id());
                    out.println("delivered " + letter.id() + " (" + delivery.subject() + ")");
                    continue;
                }
            } catch (java.io.IOException e) {
                answer = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            left++;
            out.println("failed again " + letter.id() + " (" + delivery.subject() + "): " + answer);
        }
        out.println(left + " dead letters left");
        return left;
    }
}
