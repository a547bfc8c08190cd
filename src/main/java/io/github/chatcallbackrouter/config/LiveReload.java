package io.github.chatcallbackrouter.config;

import io.github.chatcallbackrouter.support.RouteFiles;
import io.github.chatcallbackrouter.support.RouterMeters;
import java.io.File;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of the route files: a saved change takes effect without a restart, only if every route file still
 * passes {@link RouteCheck}; otherwise the change is refused with one log line and the running routes go on
 * unchanged. Camel's own reload (camel.main.routes-reload-enabled) removes the running routes before it knows
 * whether the new file loads, so a typo would stop the router.
 *
 * <p>Only the routes of the changed file are replaced; a route taken out of the file is stopped. A deleted file
 * takes effect at the next restart. {@link #reloadAll()} (SIGHUP) checks and reloads every file, watched or not.
 * The last reload's outcome and the time of the last good one are metrics, as Alertmanager's config reloads are.
 */
public final class LiveReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(LiveReload.class);

    private final String directory;
    private final String filePattern;
    private final RouteCheck check;
    private final boolean watching;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean lastSuccessful = true;
    private volatile long lastSuccessMillis = clock.millis();

    /**
     * @param watching whether saved changes are applied as they are saved (router.reload-routes); without it only
     *                 {@link #reloadAll()} reloads
     */
    public LiveReload(String directory, String filePattern, RouteCheck check, boolean watching) {
        super(directory, false);
        setPattern(filePattern);
        setRemoveAllRoutes(false);
        this.directory = directory;
        this.filePattern = filePattern;
        this.check = check;
        this.watching = watching;
        RouterMeters.gauge("chat.routes.last.reload.successful",
                "1 when the last reload of the route files was applied, 0 when it was refused",
                () -> lastSuccessful ? 1 : 0);
        RouterMeters.gauge("chat.routes.last.reload.success.timestamp.seconds",
                "When the route files were last loaded or reloaded, in seconds since the epoch",
                () -> lastSuccessMillis / 1000.0);
    }

    /** Checks and reloads every route file of the directory (a SIGHUP): what a restart would load, without one. */
    public void reloadAll() {
        onRouteReload(RouteFiles.find(getCamelContext(), "file:" + directory + "/" + filePattern), false);
    }

    @Override
    protected void doStart() throws Exception {
        if (watching) {
            super.doStart();
        }
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources == null || resources.isEmpty()) {
            return;
        }
        List<String> names = resources.stream().map(RouteFiles::name).toList();
        List<String> problems = check.run().problems();
        if (!problems.isEmpty()) {
            lastSuccessful = false;
            LOG.error("Refused the change to {}; the running routes are unchanged. Fix it and save again: {}",
                    String.join(", ", names), String.join(" | ", problems));
            return;
        }
        Map<String, Route> before = routesFrom(resources);
        super.onRouteReload(resources, false);
        before.forEach((id, route) -> {
            if (getCamelContext().getRoute(id) == route) {
                // the file no longer defines it: it was not replaced
                try {
                    getCamelContext().getRouteController().stopRoute(id);
                    getCamelContext().removeRoute(id);
                    LOG.info("Route {} was taken out of {}: stopped and removed", id, String.join(", ", names));
                } catch (Exception e) {
                    LOG.error("Route {} was taken out of {} but could not be stopped", id, names, e);
                }
            }
        });
        lastSuccessful = true;
        lastSuccessMillis = clock.millis();
        LOG.info("Reloaded {}", String.join(", ", names));
    }

    private Map<String, Route> routesFrom(Collection<Resource> resources) {
        Map<String, Route> routes = new HashMap<>();
        for (Route route : getCamelContext().getRoutes()) {
            Resource source = route.getSourceResource();
            if (source != null && resources.stream().anyMatch(r -> RouteFiles.name(r).equals(RouteFiles.name(source)))) {
                routes.put(route.getRouteId(), route);
            }
        }
        return routes;
    }

    @Override
    protected String startupMessage(File directory) {
        return "Live reload of route files in " + directory + " (a change that does not pass validation is refused)";
    }
}
