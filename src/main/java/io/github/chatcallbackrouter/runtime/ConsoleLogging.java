package io.github.chatcallbackrouter.runtime;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The router's logging, one line per event to stdout so that containers and systemd collect it. Logback finds this
 * class through META-INF/services and skips its XML reading (about 9 % of the main thread's start on one core). A
 * configuration of someone else's wins: {@code -Dlogback.configurationFile=...}, or the logback.xml of an application
 * that has this jar as a dependency (docs/embedding.md).
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    /** A line break inside a message (text a caller sent, say) is written as \n, so nobody can forge a log line. */
    private static final String PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %replace(%msg){'[\\r\\n]+', '\\\\n'}%n";

    private static final Map<String, Level> LEVELS = Map.of(
            "io.github.chatcallbackrouter", Level.INFO,
            // the Kafka clients print their whole configuration at INFO each time one is made
            "org.apache.kafka", Level.WARN,
            // its endpoint list names 0.0.0.0 whatever the management server is bound to; the start-up summary says it
            "org.apache.camel.component.platform.http.main", Level.WARN,
            // explain, rule tests and live reload's check run the route files in a scratch copy adapted with AdviceWith
            "org.apache.camel.builder", Level.WARN);

    private final ClassLoader classPath;

    /** As logback makes it, for the class path this class was loaded from. */
    public ConsoleLogging() {
        this(ConsoleLogging.class.getClassLoader());
    }

    ConsoleLogging(ClassLoader classPath) {
        this.classPath = classPath;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || classPath.getResource(ClassicConstants.TEST_AUTOCONFIG_FILE) != null
                || classPath.getResource(ClassicConstants.AUTOCONFIG_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        // a command (validate, explain...) logs to stderr: its stdout is its result (JSON, for explain with json)
        console.setTarget(setting("ROUTER_LOG_TARGET", "System.out"));
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(setting("ROUTER_LOG_LEVEL", "INFO"), Level.INFO));
        root.addAppender(console);
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** A system property (the commands set them), else the variable of the environment, else the default. */
    private static String setting(String name, String otherwise) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? otherwise : value;
    }
}
