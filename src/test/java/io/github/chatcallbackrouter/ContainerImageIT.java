package io.github.chatcallbackrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image {@code mvn verify} builds (Jib, base {@code scratch}, target/chat-callback-router-image.tar):
 * what its configuration says, and the image really run without Docker the way a container runtime runs it: its
 * layers unpacked in order into a root file system, the entrypoint started inside it (its own root, /proc and
 * /dev, the image's user, environment and working directory) on this machine's network.
 */
class ContainerImageIT {

    private static final Path IMAGE = Path.of("target", "chat-callback-router-image.tar");
    private static final String USER = "65532:65532";
    private static final String OK = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void theImageRunsAsANonRootUserWithTheDocumentedPortsAndEntrypoint() throws Exception {
        JsonNode config = unpackImage().config().path("config");

        assertThat(config.path("User").asText()).isEqualTo(USER);
        assertThat(config.path("ExposedPorts").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("8080/tcp", "8081/tcp");
        assertThat(strings(config.path("Entrypoint"))).containsExactly("/opt/java/bin/java", "@/app/jvm.options",
                "@/app/classpath-args", "@/app/jib-main-class-file");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/app");
        assertThat(strings(config.path("Env"))).contains("ROUTER_DATA_DIR=/app/data", "LANG=C.UTF-8");
        assertThat(config.path("Volumes").fieldNames()).toIterable().containsExactly("/app/data");
    }

    @Test
    void theImageIsTheSizeDocsOperationsSays() throws Exception {
        Matcher said = Pattern.compile("about (\\d+) MB to download \\((\\d+) MB when built on JDK 25\\)")
                .matcher(Files.readString(Path.of("docs/operations.md")).replaceAll("\\s+", " "));
        assertThat(said.find()).isTrue();
        // the image's runtime is the building JDK's, and failsafe runs this test on that JDK
        String megabytesSaid = said.group(Runtime.version().feature() >= 25 ? 2 : 1);
        // the layers in the archive are the compressed ones a registry serves
        double megabytes = Files.size(IMAGE) / 1e6;
        assertThat(megabytes).as("the image's size, in MB").isCloseTo(Double.parseDouble(megabytesSaid),
                withinPercentage(10));
    }

    @Test
    void theImageAnswersACallbackAsItsUserAndWritesItsDataDirectory() throws Exception {
        assumeThat(uidGid(Path.of("/proc/self/status"))).as("unpacking the image as its owners and changing root"
                + " into it needs root (CI runs as root)").startsWith("0:");
        Image image = unpackImage();
        Path rootfs = image.unpackLayers(work.resolve("rootfs"));
        // one source for the JVM flags: the checkout's jvm.options is the image's
        assertThat(rootfs.resolve("app/jvm.options")).hasSameTextualContentAs(Path.of("jvm.options"));
        assertThat(rootfs.resolve("etc/passwd")).content().contains("nonroot:x:65532:65532:");

        int port = AvailablePortFinder.getNextAvailable();
        Map<String, String> environment = new LinkedHashMap<>(image.environment());
        environment.put("CAMEL_SERVER_PORT", String.valueOf(port));
        environment.put("CAMEL_MANAGEMENT_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        Path log = work.resolve("container.log");
        Process container = image.start(rootfs, environment, log);
        try {
            HttpResponse<String> answer = RouterProcess.firstAnswer(RouterProcess.post("http://127.0.0.1:" + port
                    + "/tencent/callback?SdkAppid=1400000000&CallbackCommand=Alert.RequestOverLimit",
                    Samples.body("Alert.RequestOverLimit")), Duration.ofSeconds(60), container,
                    () -> Files.readString(log));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(OK);

            // the router is the process we started, inside the image's root, as the image's user
            Path proc = Path.of("/proc", String.valueOf(container.pid()));
            assertThat(uidGid(proc.resolve("status"))).isEqualTo(USER);
            assertThat(Files.readSymbolicLink(proc.resolve("root"))).isEqualTo(rootfs);
            assertThat(Files.readSymbolicLink(proc.resolve("cwd"))).isEqualTo(rootfs.resolve("app"));
            // ... with the classes of its archive: the JVM maps an archive only when its runtime, class path and
            // jars are those it was made with (src/image/train-archive.sh), and otherwise starts without it
            assertThat(Files.readString(proc.resolve("maps"))).as("the JVM's mapped files")
                    .contains("/app/target/chat-callback-router.jsa");

            // ... and could write its data directory (ROUTER_DATA_DIR=/app/data of the image)
            Path dataDir = rootfs.resolve("app/data");
            List<String> alerts = await().atMost(Duration.ofSeconds(5))
                    .until(() -> AlertFiles.lines(dataDir), lines -> !lines.isEmpty());
            assertThat(alerts).singleElement().asString().contains("batchsendmsg");
            try (Stream<Path> files = Files.list(dataDir.resolve("alerts"))) {
                for (Path file : files.toList()) {
                    assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(65532);
                }
            }
        } finally {
            container.destroy();
            if (!container.waitFor(30, TimeUnit.SECONDS)) {
                container.destroyForcibly().waitFor();
            }
        }
    }

    private Image unpackImage() throws Exception {
        assertThat(IMAGE).as("mvn verify builds it (jib:buildTar in pre-integration-test)").isRegularFile();
        Path dir = Files.createDirectories(work.resolve("image"));
        run("tar", "-xf", IMAGE.toAbsolutePath().toString(), "-C", dir.toString());
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile()).get(0);
        return new Image(dir, manifest, JSON.readTree(dir.resolve(manifest.path("Config").asText()).toFile()));
    }

    /** A docker-load tar, unpacked: manifest.json, the config JSON and the layers (gzipped tars). */
    private record Image(Path dir, JsonNode manifest, JsonNode config) {

        Map<String, String> environment() {
            Map<String, String> environment = new LinkedHashMap<>();
            for (String entry : strings(config.path("config").path("Env"))) {
                int equals = entry.indexOf('=');
                environment.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
            return environment;
        }

        /** Layer over layer, as a container runtime stacks them: whiteouts remove what lower layers added. */
        Path unpackLayers(Path rootfs) throws Exception {
            Files.createDirectory(rootfs, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            for (String layer : strings(manifest.path("Layers"))) {
                String archive = dir.resolve(layer).toString();
                for (String entry : run("tar", "-tzf", archive, "--warning=no-unknown-keyword").split("\n")) {
                    Path path = rootfs.resolve(entry).normalize();
                    String name = path.getFileName().toString();
                    if (!path.startsWith(rootfs) || !name.startsWith(".wh.")) {
                        continue;
                    }
                    if (name.equals(".wh..wh..opq")) {
                        try (Stream<Path> lower = Files.list(path.getParent())) {
                            for (Path child : lower.toList()) {
                                delete(child);
                            }
                        } catch (NoSuchFileException none) {
                            // an opaque directory that no lower layer had
                        }
                    } else {
                        delete(path.resolveSibling(name.substring(".wh.".length())));
                    }
                }
                // as root: the owners and modes the image gives, not ours
                run("tar", "-xzf", archive, "-C", rootfs.toString(), "--numeric-owner", "--same-permissions",
                        "--exclude=.wh.*", "--warning=no-unknown-keyword");
            }
            return rootfs;
        }

        /**
         * Starts the entrypoint in the image's root as a container runtime would with the host's network, in a
         * mount namespace of its own (gone with the process) that has /proc, /dev and the host's /etc/hosts and
         * /etc/resolv.conf, with only the given environment. The process is the router itself: each step execs
         * the next, so its pid is the JVM's.
         */
        Process start(Path rootfs, Map<String, String> environment, Path output) throws IOException {
            JsonNode container = config.path("config");
            String[] user = container.path("User").asText().split(":");
            Files.createDirectories(rootfs.resolve("proc"));
            Files.createDirectories(rootfs.resolve("dev"));
            StringBuilder mounts = new StringBuilder("\"$mount\" -t proc proc \"$root/proc\";"
                    + " \"$mount\" --rbind /dev \"$root/dev\";");
            for (String file : List.of("etc/hosts", "etc/resolv.conf")) {
                if (Files.isRegularFile(Path.of("/", file))) {
                    Files.write(rootfs.resolve(file), new byte[0]);
                    mounts.append(" \"$mount\" --bind /" + file + " \"$root/" + file + "\";");
                }
            }
            String unshare = tool("unshare");
            List<String> command = new ArrayList<>(List.of(unshare, "--mount", "--propagation", "private", "--",
                    tool("sh"), "-c", "set -e; root=$1 mount=$2; shift 2; " + mounts + " exec \"$@\"",
                    "container", rootfs.toString(), tool("mount"), tool("env"), "-i"));
            environment.forEach((name, value) -> command.add(name + "=" + value));
            command.addAll(List.of(unshare, "--root=" + rootfs, "--wd=" + container.path("WorkingDir").asText(),
                    "--setuid=" + user[0], "--setgid=" + user[1], "--"));
            command.addAll(strings(container.path("Entrypoint")));
            command.addAll(strings(container.path("Cmd")));
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        }
    }

    /** "uid:gid" (real ids) from a /proc status file; fails unless real, effective, saved and fs ids agree. */
    private static String uidGid(Path status) throws IOException {
        String uid = null;
        String gid = null;
        for (String line : Files.readAllLines(status)) {
            String[] fields = line.split("\\s+");
            if (fields[0].equals("Uid:") || fields[0].equals("Gid:")) {
                assertThat(List.of(fields).subList(2, 5)).as(line).containsOnly(fields[1]);
                if (fields[0].equals("Uid:")) {
                    uid = fields[1];
                } else {
                    gid = fields[1];
                }
            }
        }
        return uid + ":" + gid;
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.asText()));
        return strings;
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path each : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }

    /** The host's program of that name (the container's environment has no PATH to find it). */
    private static String tool(String name) {
        return Stream.of("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/").map(dir -> Path.of(dir + name))
                .filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(name + " is not installed"));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }
}
