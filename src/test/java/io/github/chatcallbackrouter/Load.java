package io.github.chatcallbackrouter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Requests sent on a schedule, as a caller with a pool of connections sends them: request {@code i} leaves at
 * {@code i × interval} from the start (a scheduler's clock, so a slow answer does not slow the schedule), with at
 * most {@code maxOpen} unanswered at once.
 */
public final class Load {

    /** Sends request {@code i}; its future completes with the answer. */
    @FunctionalInterface
    public interface Send<T> {
        CompletableFuture<T> send(int i) throws Exception;
    }

    private Load() {
    }

    /** {@code count} requests at {@code perSecond}; returns their answers, in the order sent. */
    public static <T> List<T> atRate(int count, int perSecond, int maxOpen, Send<T> send) throws Exception {
        return paced(count, Duration.ofNanos(1_000_000_000L / perSecond), maxOpen, send);
    }

    /** {@code count} requests {@code interval} apart; returns their answers, in the order sent. */
    public static <T> List<T> paced(int count, Duration interval, int maxOpen, Send<T> send) throws Exception {
        List<CompletableFuture<T>> sent = new ArrayList<>(count);
        Semaphore open = new Semaphore(maxOpen);
        CompletableFuture<Void> allSent = new CompletableFuture<>();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try {
            clock.scheduleAtFixedRate(() -> {
                int i = sent.size();
                if (i == count) {
                    allSent.complete(null);
                    return;
                }
                try {
                    open.acquire();
                    sent.add(send.send(i).whenComplete((answer, failure) -> open.release()));
                } catch (Exception | AssertionError failure) {
                    // a failed send ends the run at once, with its reason
                    allSent.completeExceptionally(failure);
                    throw new CancellationException("a send failed");
                }
            }, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
            allSent.get(count * interval.toMillis() + TimeUnit.MINUTES.toMillis(2), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof AssertionError assertion) {
                throw assertion;
            }
            throw (Exception) failed.getCause();
        } finally {
            clock.shutdownNow();
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }
}
