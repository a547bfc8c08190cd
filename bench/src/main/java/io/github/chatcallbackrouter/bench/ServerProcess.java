package io.github.chatcallbackrouter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in its own process (the Java ones with the same {@code java} as this tool and the router's
 * shipped {@code jvm.options} when the repository has one). Its output goes to a log file; its pid is written to a
 * file so that bench/run.sh can still stop it if this tool dies.
 */
final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final long spawnedAt;
    private final Path log;
    private final Path pidFile;

    private ServerProcess(String name, Process process, long spawnedAt, Path log, Path pidFile) {
        this.name = name;
        this.process = process;
        this.spawnedAt = spawnedAt;
        this.log = log;
        this.pidFile = pidFile;
    }

    /** The java binary this tool runs on. */
    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The JVM arguments every server gets: {@code @jvm.options} if the repository ships one. */
    static List<String> jvmOptions(Path repoRoot) {
        Path options = repoRoot.resolve("jvm.options");
        return Files.isRegularFile(options) ? List.of("@" + options) : List.of();
    }

    /** A Java server: {@code javaArgs} given to the same {@code java} as this tool. */
    static ServerProcess java(String name, List<String> javaArgs, Map<String, String> environment, Path workDir,
            Path logDir, Path pidDir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(javaArgs);
        return start(name, command, environment, workDir, logDir, pidDir);
    }

    /** Any server, pinned to BENCH_SERVER_CPUS when it is set. */
    static ServerProcess start(String name, List<String> program, Map<String, String> environment, Path workDir,
            Path logDir, Path pidDir) throws IOException {
        List<String> command = new ArrayList<>();
        String cpus = System.getenv("BENCH_SERVER_CPUS");
        if (cpus != null && !cpus.isBlank()) {
            // taskset execs the program: the pid is the server's
            command.addAll(List.of("taskset", "-c", cpus.trim()));
        }
        command.addAll(program);
        Files.createDirectories(logDir);
        Files.createDirectories(pidDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        long spawnedAt = System.nanoTime();
        Process process = builder.start();
        Path pidFile = pidDir.resolve(name + ".pid");
        Files.writeString(pidFile, process.pid() + "\n");
        return new ServerProcess(name, process, spawnedAt, log, pidFile);
    }

    String name() {
        return name;
    }

    /** System.nanoTime() just before the process was spawned. */
    long spawnedAt() {
        return spawnedAt;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** VmHWM from /proc/PID/status: the peak resident set size so far, in MiB. */
    Optional<Double> peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return Optional.empty();
    }

    /**
     * CPU time the process has used so far (user + system, all its threads), in milliseconds: utime and stime of
     * /proc/PID/stat, in clock ticks of 10 ms (USER_HZ, 100 on Linux).
     */
    long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        // the fields after the command name, which is in parentheses and may hold spaces: state is the first
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    /** The last lines of the process's output, to explain a failure. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL after 15 s. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            Files.deleteIfExists(pidFile);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the pid file is only a fallback for run.sh
        }
    }
}
