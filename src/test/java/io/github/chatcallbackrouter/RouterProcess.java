package io.github.chatcallbackrouter;

import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.observe.Scrape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.test.AvailablePortFinder;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged jar started as its own process, as an operator starts it: {@code java -jar
 * target/chat-callback-router.jar} from the checkout, configured by environment variables only.
 */
public final class RouterProcess implements AutoCloseable {

    /**
     * JVM options added after jvm.options, from the system property {@code router.test.jvm-options} (pom.xml: the
     * integration tests that bound no duration run their processes without the C2 compiler, half the CPU of a
     * short-lived JVM; the {@code @Timing} ones run them exactly as shipped).
     */
    private static final List<String> EXTRA_JVM_OPTIONS = List.of(
            System.getProperty("router.test.jvm-options", "").trim().split("\\s+")).stream()
            .filter(option -> !option.isEmpty()).toList();

    private final Process process;
    private final Path output;
    private final int managementPort;

    private RouterProcess(Process process, Path output, int managementPort) {
        this.process = process;
        this.output = output;
        this.managementPort = managementPort;
    }

    public static RouterProcess start(Map<String, String> environment, Path output, String... args)
            throws IOException {
        return start(environment, output, Path.of("."), args);
    }

    /** The jar started in another working directory, as an operator runs it next to their own settings. */
    public static RouterProcess start(Map<String, String> environment, Path output, Path workingDirectory,
            String... args) throws IOException {
        return start(List.of(), environment, output, workingDirectory, args);
    }

    /**
     * The jar started through a wrapper command that ends by running its arguments (e.g. {@code unshare ... sh -c
     * '... && exec "$@"' sh}), so the process is the router itself.
     */
    public static RouterProcess start(List<String> wrapper, Map<String, String> environment, Path output,
            Path workingDirectory, String... args) throws IOException {
        ProcessBuilder builder = builder(wrapper, environment, workingDirectory, args)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        return new RouterProcess(builder.start(), output,
                Integer.parseInt(builder.environment().get("CAMEL_MANAGEMENT_PORT")));
    }

    /** What a command (explain, say) printed on its standard output, what it logged, and its exit code. */
    public record Finished(int exitCode, String stdout, String stderr) {
    }

    /** Runs a command of the jar to its end, with {@code stdin} as its standard input. */
    public static Finished run(Map<String, String> environment, Path workingDirectory, String stdin, String... args)
            throws Exception {
        Process process = builder(List.of(), environment, workingDirectory, args).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String stdout = read(process.getInputStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("still running after 60 s: " + List.of(args));
        }
        return new Finished(process.exitValue(), stdout, stderr.get());
    }

    private static String read(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProcessBuilder builder(List<String> wrapper, Map<String, String> environment,
            Path workingDirectory, String... args) {
        Path jar = Path.of("target", "chat-callback-router.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("run mvn package first: " + jar + " is missing");
        }
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + Path.of("jvm.options").toAbsolutePath()));
        command.addAll(EXTRA_JVM_OPTIONS);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        // a free management port unless the test names one, so routers never collide on 8081
        builder.environment().put("CAMEL_MANAGEMENT_HOST", "127.0.0.1");
        builder.environment().put("CAMEL_MANAGEMENT_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        builder.environment().putAll(environment);
        return builder;
    }

    /** Polls the URL as fast as it can until the first HTTP answer; returns that answer. */
    public HttpResponse<String> firstAnswer(HttpRequest request, Duration timeout) throws Exception {
        return firstAnswer(request, timeout, process, this::output);
    }

    /**
     * Polls the URL as fast as it can until the first HTTP answer from {@code process}; returns that answer. Fails
     * at once if the process exits, and after {@code timeout}, with its {@code output}.
     */
    public static HttpResponse<String> firstAnswer(HttpRequest request, Duration timeout, Process process,
            Callable<String> output) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
        try {
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("exited with " + process.exitValue() + ":\n" + output.call());
                }
                try {
                    answer.set(http.send(request, HttpResponse.BodyHandlers.ofString()));
                    return true;
                } catch (ConnectException | HttpConnectTimeoutException notYetListening) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException late) {
            throw new IllegalStateException("no answer within " + timeout + ":\n" + output.call(), late);
        }
        return answer.get();
    }

    public static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** A URL of the management server, e.g. /observe/health. */
    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    /** Deliveries waiting in the outbox (chat_outbox_depth). */
    public double outboxDepth() throws Exception {
        return Scrape.at(managementUrl("/observe/metrics")).value("chat_outbox_depth");
    }

    /**
     * Waits until the router holds nothing more to send: its journal and its outbox empty, for a few scrapes in a
     * row. The positive signal a test waits on before it counts what arrived (duplicates included).
     */
    public void awaitNothingPending() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).during(Duration.ofMillis(200))
                .until(() -> {
                    Scrape metrics = Scrape.at(managementUrl("/observe/metrics"));
                    return metrics.value("chat_journal_depth") == 0 && metrics.value("chat_outbox_depth") == 0;
                });
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    /** The exit code of a command that ends by itself. */
    public int exitCode(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, as in a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(40).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
