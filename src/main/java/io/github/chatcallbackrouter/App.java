package io.github.chatcallbackrouter;

import io.github.chatcallbackrouter.server.ReadyGatedHttpServerFactory;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.github.chatcallbackrouter.slack.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Runs the router with camel-main. Settings come from ./application.properties and the routes from
 * ./routes/*.camel.yaml when the working directory has them, so an operator edits them without rebuilding;
 * otherwise from the copies inside the jar.
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("replay")) {
            boolean dryRun = Arrays.asList(args).contains("--dry-run");
            int left = new Replay(setting("router.data-dir"), System.out).run(dryRun);
            System.exit(left == 0 || dryRun ? 0 : 1);
        }
        router(Map.of()).run();
    }

    /** One setting as the router would read it: application.properties with its environment overrides. */
    static String setting(String key) throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation(propertiesLocation());
            return context.resolvePropertyPlaceholders("{{" + key + "}}");
        }
    }

    private static String propertiesLocation() {
        return Files.isRegularFile(Path.of("application.properties"))
                ? "file:application.properties" : "classpath:application.properties";
    }

    /** A router ready to start; {@code overrides} win over application.properties and the environment. */
    public static Main router(Map<String, String> overrides) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(propertiesLocation());
        if (!Files.isDirectory(Path.of("routes"))) {
            main.addOverrideProperty("camel.main.routes-include-pattern", "classpath:routes/*.camel.yaml");
        }
        main.bind("readyGatedHttpServerFactory", new ReadyGatedHttpServerFactory());
        publishMetrics(main);
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /**
     * The registry /observe/metrics scrapes is the one Camel's own meters use, and it joins Micrometer's global
     * registry, where {@link RouterMeters} records, for as long as this router runs.
     */
    private static void publishMetrics(Main main) {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        main.bind(MicrometerConstants.METRICS_REGISTRY_NAME, prometheus);
        Metrics.addRegistry(prometheus);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStop(BaseMainSupport stopped) {
                Metrics.removeRegistry(prometheus);
                prometheus.close();
            }
        });
    }
}
