package io.github.chatcallbackrouter.runtime;

import io.github.chatcallbackrouter.config.SettingsCheck;
import io.github.chatcallbackrouter.server.CallbackServer;
import io.github.chatcallbackrouter.callback.Apps;
import io.github.chatcallbackrouter.channel.Channels;
import io.github.chatcallbackrouter.upstream.Backends;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One block at start-up that says how long the start took and what this router is doing: where Chat calls it and
 * for which apps, whether the signature check is on, the mode, the data directory, where alerts go, the app's
 * backend, the routes, and where health and metrics are. No secret in it.
 */
final class StartupSummary implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(StartupSummary.class);

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // routes may still be starting here; the summary waits for all of them
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        lines(context).forEach(LOG::info);
        SettingsCheck.warnings(context.getPropertiesComponent(), "application.properties").forEach(LOG::warn);
    }

    static List<String> lines(CamelContext context) {
        String version = Router.class.getPackage().getImplementationVersion();
        Object engine = context.getRegistry().lookupByName(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME);
        String url = engine instanceof CallbackServer server ? server.url()
                : "platform-http " + setting(context, "tencent.callback-path");
        List<String> lines = new ArrayList<>();
        lines.add("chat-callback-router " + (version == null ? "" : version + " ") + "is up" + sinceStart()
                + ", in " + setting(context, "router.mode") + " mode: Chat's callbacks at " + url);
        if (engine instanceof CallbackServer server) {
            lines.add("  callback port: " + server.describeTls());
        }
        String sources = setting(context, "tencent.allowed-sources");
        for (Apps.App app : Apps.of(context).all()) {
            lines.add("  app " + app.name() + ": SDKAppID " + app.sdkAppId() + "; signature check "
                    + (app.token().isBlank() ? "OFF (its callback-token is empty)" : "on"));
        }
        lines.add("  callers: " + (sources.isBlank() ? "any address" : sources));
        lines.add("  data: " + Path.of(setting(context, "router.data-dir")).toAbsolutePath().normalize());
        Channels channels = context.getRegistry().findSingleByType(Channels.class);
        if (channels != null) {
            channels.describe().forEach(line -> lines.add("  " + line));
        }
        Backends backends = context.getRegistry().findSingleByType(Backends.class);
        if (backends != null) {
            backends.describe().forEach(line -> lines.add("  " + line));
        }
        lines.add("  routes: " + context.getRoutes().size() + " from "
                + setting(context, "camel.main.routes-include-pattern") + "; reloaded "
                + (Boolean.parseBoolean(setting(context, "router.reload-routes")) ? "when saved and " : "") + "on SIGHUP");
        String management = "http://" + setting(context, "camel.management.host") + ":"
                + setting(context, "camel.management.port");
        lines.add("  health and metrics: " + management + "/observe/health, " + management + "/observe/metrics");
        return lines;
    }

    /**
     * " 0.84 s after java started": what a restart or a scale-out waits for. The JVM's own start time, to the
     * millisecond; the process's (ProcessHandle) is counted from a boot time Linux gives in whole seconds.
     */
    private static String sinceStart() {
        return String.format(Locale.ROOT, " %.2f s after java started",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    }

    private static String setting(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("");
    }
}
