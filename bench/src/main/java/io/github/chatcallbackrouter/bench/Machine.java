package io.github.chatcallbackrouter.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Where and when the figures were taken: the machine, the Java, the date and the commit. */
record Machine(int cpus, String cpuModel, String memory, String java, String os, String date, String commit) {

    static Machine describe(Path repoRoot) {
        return new Machine(
                cpuCount(),
                procLine("/proc/cpuinfo", "model name").orElse("unknown"),
                procLine("/proc/meminfo", "MemTotal").map(Machine::gib).orElse("unknown"),
                run(repoRoot, ServerProcess.javaBinary(), "-version").replace('\n', ' ').trim(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                commit(repoRoot));
    }

    /** The machine's CPUs (this tool runs pinned to some of them, so its own count would be less). */
    private static int cpuCount() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("processor")).count();
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** The 1-, 5- and 15-minute load averages: how busy the machine was with other work. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    /** An installed program: the first of {@code names} found on PATH, with the first line of its version. */
    record Program(Path path, String version) {
    }

    static Optional<Program> program(String versionFlag, String... names) {
        for (String name : names) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    String version = output(false, Path.of("."), candidate.toString(), versionFlag).lines().findFirst()
                            .orElse(name).trim();
                    return Optional.of(new Program(candidate, version));
                }
            }
        }
        return Optional.empty();
    }

    private static String commit(Path repoRoot) {
        String head = run(repoRoot, "git", "rev-parse", "--short=12", "HEAD").trim();
        if (head.isEmpty() || head.contains(" ")) {
            return "unknown (not a git checkout)";
        }
        String changes = run(repoRoot, "git", "status", "--porcelain", "--untracked-files=no").trim();
        return head + (changes.isEmpty() ? "" : " (with uncommitted changes)");
    }

    private static Optional<String> procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String gib(String memTotal) {
        return String.format("%.1f GiB", Long.parseLong(memTotal.replaceAll("\\D", "")) / 1024.0 / 1024.0);
    }

    /** The command's output (stdout and stderr), or "" when it cannot run or fails. */
    private static String run(Path dir, String... command) {
        return output(true, dir, command);
    }

    /** The command's output (stdout and stderr), or "" when it cannot run (or fails, if it must succeed). */
    private static String output(boolean mustSucceed, Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor(10, TimeUnit.SECONDS) && (!mustSucceed || process.exitValue() == 0) ? output : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
