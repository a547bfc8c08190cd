package io.github.chatcallbackrouter.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLoggingTest {

    private final PrintStream stdout = System.out;
    private final PrintStream stderr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final LoggerContext context = new LoggerContext();

    @BeforeEach
    void captureTheConsole() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        // the router's defaults, whatever this machine's environment says
        System.setProperty("ROUTER_LOG_TARGET", "System.out");
        System.setProperty("ROUTER_LOG_LEVEL", "INFO");
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        context.stop();
        System.setOut(stdout);
        System.setErr(stderr);
        System.clearProperty("ROUTER_LOG_TARGET");
        System.clearProperty("ROUTER_LOG_LEVEL");
    }

    @Test
    void aMessageWithLineBreaksIsOneLineOnStdout() {
        assertThat(configure()).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        context.getLogger("io.github.chatcallbackrouter.callback.Test").warn("openim\r\n2026-12-01 ERROR forged");

        assertThat(out.toString(StandardCharsets.UTF_8)).hasLineCount(1).matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) WARN  \\[main\\] "
                        + "i\\.g\\.chatcallbackrouter\\.callback\\.Test - openim\\\\n2026-12-01 ERROR forged\\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aCommandLogsItsWarningsToStderrAndNothingBelow() {
        System.setProperty("ROUTER_LOG_TARGET", "System.err");
        System.setProperty("ROUTER_LOG_LEVEL", "WARN");
        configure();
        context.getLogger("org.apache.camel.main.MainSupport").info("Apache Camel is starting");
        context.getLogger("org.apache.camel.main.MainSupport").warn("a warning");

        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).hasLineCount(1).contains("WARN ").endsWith("- a warning\n");
    }

    @Test
    void chattyLibrariesAreQuietBelowWarn() {
        configure();
        context.getLogger("org.apache.kafka.clients.producer.ProducerConfig").info("ProducerConfig values: ...");
        context.getLogger("org.apache.camel.main.MainSupport").info("Apache Camel is starting");

        assertThat(out.toString(StandardCharsets.UTF_8)).hasLineCount(1).contains("Apache Camel is starting");
    }

    @Test
    void anApplicationWithItsOwnLogbackXmlKeepsIt(@TempDir Path classPath) throws Exception {
        Files.writeString(classPath.resolve("logback.xml"), "<configuration/>");
        try (URLClassLoader application = new URLClassLoader(new URL[] {classPath.toUri().toURL()}, null)) {
            ConsoleLogging logging = new ConsoleLogging(application);
            logging.setContext(context);

            assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        }
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }

    /** As the router runs it: no logback.xml of anyone else's. */
    private ExecutionStatus configure() {
        ConsoleLogging logging = new ConsoleLogging(new URLClassLoader(new URL[0], null));
        logging.setContext(context);
        ExecutionStatus status = logging.configure(context);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isTrue();
        return status;
    }
}
