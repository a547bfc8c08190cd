package io.github.chatcallbackrouter.runtime;

import io.github.chatcallbackrouter.config.LiveReload;
import io.github.chatcallbackrouter.config.RouteCheck;
import io.github.chatcallbackrouter.config.Settings;
import io.github.chatcallbackrouter.config.SettingsCheck;
import io.github.chatcallbackrouter.journal.DataDirectoryLock;
import io.github.chatcallbackrouter.server.CallbackServerFactory;
import io.github.chatcallbackrouter.support.CannotStartException;
import io.github.chatcallbackrouter.support.RouterMeters;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.LifecycleStrategySupport;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The router as camel-main runs it: the settings of ./application.properties (or the jar's) checked before
 * anything reads them, the route files of ./routes (or the jar's) watched for changes, the callback server, the
 * metrics registry, and one router per data directory.
 */
public final class Router {

    private static final Signal HANG_UP = new Signal("HUP");

    private Router() {
    }

    /** A router ready to start; {@code overrides} win over application.properties and the environment. */
    public static Main create(Map<String, String> overrides) {
        Main main = new Main() {
            @Override
            protected void modelineRoutes(CamelContext camelContext) {
                // Camel Main would read every route file once more, first, to register its beans early: loading the
                // routes registers them too, and no setting refers to one (bench/README.md: the start on one core)
            }
        };
        main.setPropertyPlaceholderLocations(Settings.propertiesLocation());
        if (!Files.isDirectory(Path.of("routes"))) {
            main.addOverrideProperty("camel.main.routes-include-pattern", Settings.JAR_ROUTES);
        }
        main.bind("callbackServerFactory", new CallbackServerFactory());
        publishMetrics(main);
        overrides.forEach(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport configuring) {
                // application.properties names each setting's variable ({{env:NAME:default}}); Camel's default would
                // also let a variable of the same name (KAFKA_BOOTSTRAP_SERVERS) beat an override given here
                ((PropertiesComponent) configuring.getCamelContext().getPropertiesComponent())
                        .setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
                // the settings are checked once, before anything reads them (what validate says, in one line)
                List<String> problems = SettingsCheck.problems(configuring.getCamelContext(), "settings");
                if (!problems.isEmpty()) {
                    throw new CannotStartException(String.join("; ", problems)
                            + ". Fix the settings (validate lists every problem) and start again.");
                }
                configuring.getCamelContext().getRegistry().bind("vertxOptions", vertxOptions(
                        configuring.getCamelContext().resolvePropertyPlaceholders("{{router.http.event-loops}}")));
            }

            @Override
            public void afterConfigure(BaseMainSupport configured) {
                CamelContext context = configured.getCamelContext();
                // before any route starts: recovery must not route another router's journal
                DataDirectoryLock lock = DataDirectoryLock.acquire(
                        Path.of(context.resolvePropertyPlaceholders("{{router.data-dir}}")), "a router");
                try {
                    context.addService(lock, true, true);
                } catch (Exception e) {
                    lock.close();
                    throw RuntimeCamelException.wrapRuntimeCamelException(e);
                }
                reloadRoutes(context, overrides);
                try {
                    context.addStartupListener(new StartupSummary());
                } catch (Exception e) {
                    throw RuntimeCamelException.wrapRuntimeCamelException(e);
                }
            }
        });
        return main;
    }

    /**
     * One event loop per core, not Vert.x's two: on 2 cores this took the benchmark from about 30k to 35k
     * callbacks/s (fewer threads, fewer switches). The callback route runs on them.
     */
    private static VertxOptions vertxOptions(String setting) {
        int eventLoops = Integer.parseInt(setting);
        return new VertxOptions()
                .setEventLoopPoolSize(eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors());
    }

    /**
     * Reloading of the route files, when they are files (not the jar's copies): on each save unless
     * router.reload-routes is off, and on SIGHUP always, as Alertmanager reloads its configuration.
     */
    private static void reloadRoutes(CamelContext context, Map<String, String> overrides) {
        String patterns = context.resolvePropertyPlaceholders("{{camel.main.routes-include-pattern}}");
        // the first pattern is the operator's directory (routes/kafka/ is not watched)
        String pattern = patterns.split(",")[0].trim();
        if (!pattern.startsWith("file:") || !pattern.contains("/")) {
            return;
        }
        String directory = pattern.substring("file:".length(), pattern.lastIndexOf('/'));
        String files = pattern.substring(pattern.lastIndexOf('/') + 1);
        LiveReload reload = new LiveReload(directory, files, Settings.propertiesLocation(), patterns,
                new RouteCheck(Settings.propertiesLocation(), patterns, overrides),
                Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{router.reload-routes}}")));
        try {
            context.addService(reload);
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeCamelException(e);
        }
        // the signal only asks: the reload runs on a thread of its own, signals that come meanwhile folded into it
        SignalHandler before = Signal.handle(HANG_UP, signal -> reload.reloadAll("SIGHUP"));
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                Signal.handle(HANG_UP, before);
            }
        });
    }

    /**
     * The registry /observe/metrics scrapes is the one Camel's own meters use, and it joins Micrometer's global
     * registry, where {@link RouterMeters} records, for as long as this router runs.
     */
    private static void publishMetrics(Main main) {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        main.bind(MicrometerConstants.METRICS_REGISTRY_NAME, prometheus);
        Metrics.addRegistry(prometheus);
        RouterMeters.registerKnownSeries();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                // Camel's own route gauges come with an event notifier that costs ~4% of each callback's CPU
                CamelContext context = configured.getCamelContext();
                RouterMeters.gauge("chat.routes.stopped", "Routes that are not running (each should be)",
                        () -> context.getRoutes().stream().filter(route -> !context.getRouteController()
                                .getRouteStatus(route.getRouteId()).isStarted()).count());
            }

            @Override
            public void afterStop(BaseMainSupport stopped) {
                Metrics.removeRegistry(prometheus);
                prometheus.close();
            }
        });
    }
}
