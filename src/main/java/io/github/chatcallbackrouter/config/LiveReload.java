package io.github.chatcallbackrouter.config;

import io.github.chatcallbackrouter.support.RouteFiles;
import io.github.chatcallbackrouter.support.RouterMeters;
import io.github.chatcallbackrouter.support.SettingsListener;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of the route files, and of the settings they use: a saved change (or a SIGHUP) takes effect without a
 * restart, whole or not at all.
 *
 * <ul>
 *   <li>One at a time: saves and signals that come while a reload runs are folded into the next one, which runs on
 *   a thread of its own (never the event loop that answers callbacks).</li>
 *   <li>Only what changed: the route files and application.properties are compared with what was last applied; with
 *   nothing changed, nothing is restarted.</li>
 *   <li>Checked as it will run: the settings and every route file together, as {@code validate} checks them, with
 *   the rule tests. A problem refuses the reload in one line and the running routes go on untouched.</li>
 *   <li>Settings: the channels (channels.*, slack.channels.*, slack.webhook-url, alerts.channels) are read again
 *   with the routes that use them; any other changed setting refuses the reload, saying that a restart applies
 *   it.</li>
 *   <li>Applied whole: should applying fail all the same, the routes of the files it touched are put back as they
 *   were.</li>
 * </ul>
 *
 * <p>The last reload's outcome and the time of the last good one are metrics, as Alertmanager's config reloads are.
 */
public final class LiveReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(LiveReload.class);
    /** Settings a reload applies: what the route files' beans read when a route uses them. */
    private static final List<String> RELOADABLE_SETTINGS = List.of("channels.", "slack.channels.",
            "slack.webhook-url", "alerts.channels");

    private final String propertiesLocation;
    private final String routesPattern;
    private final RouteCheck check;
    private final boolean watching;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService reloads = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "reload");
        thread.setDaemon(true);
        return thread;
    });
    private final Object requests = new Object();
    private final List<String> waiting = new ArrayList<>();
    private boolean scheduled;
    /** What was last applied: each route file's text by location, and the settings file's. */
    private Map<String, String> applied = Map.of();
    private String appliedSettings = "";
    private volatile boolean lastSuccessful = true;
    private volatile long lastSuccessMillis = clock.millis();

    /**
     * @param directory          the operator's route directory, watched for saves
     * @param filePattern        the route files in it, e.g. *.camel.yaml
     * @param propertiesLocation where the settings come from, e.g. file:application.properties
     * @param routesPattern      every route file the router loads (the directory's and its mode folder's)
     * @param watching           whether saved changes are applied as they are saved (router.reload-routes); without
     *                           it only {@link #reloadAll} reloads
     */
    public LiveReload(String directory, String filePattern, String propertiesLocation, String routesPattern,
                      RouteCheck check, boolean watching) {
        super(directory, false);
        setPattern(filePattern);
        setRemoveAllRoutes(false);
        this.propertiesLocation = propertiesLocation;
        this.routesPattern = routesPattern;
        this.check = check;
        this.watching = watching;
        RouterMeters.gauge("chat.routes.last.reload.successful",
                "1 when the last reload of the route files was applied, 0 when it was refused",
                () -> lastSuccessful ? 1 : 0);
        RouterMeters.gauge("chat.routes.last.reload.success.timestamp.seconds",
                "When the route files were last loaded or reloaded, in seconds since the epoch",
                () -> lastSuccessMillis / 1000.0);
    }

    /** Checks and reloads every route file and the settings (a SIGHUP): what a restart would load, without one. */
    public void reloadAll(String why) {
        request(why);
    }

    @Override
    protected void doStart() throws Exception {
        applied = routeFiles();
        appliedSettings = settingsText();
        if (watching) {
            super.doStart();
        }
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        reloads.shutdownNow();
        reloads.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources != null && !resources.isEmpty()) {
            request("saved " + String.join(", ", resources.stream().map(RouteFiles::name).toList()));
        }
    }

    /** One more reason to reload: folded into the reload waiting to run, or the next one. */
    private void request(String why) {
        synchronized (requests) {
            waiting.add(why);
            if (!scheduled) {
                scheduled = true;
                reloads.execute(this::reload);
            }
        }
    }

    private void reload() {
        List<String> why;
        synchronized (requests) {
            why = List.copyOf(waiting);
            waiting.clear();
            scheduled = false;
        }
        String trigger = why.get(0) + (why.size() > 1 ? " and " + (why.size() - 1) + " more requests" : "");
        try {
            reload(trigger);
        } catch (RuntimeException e) {
            lastSuccessful = false;
            LOG.error("The reload ({}) failed: {}; the running routes are unchanged", trigger, e.toString());
        }
    }

    private void reload(String trigger) {
        Map<String, String> files = routeFiles();
        String settings = settingsText();
        Set<String> changed = changed(applied, files);
        Set<String> changedSettings = changedKeys(appliedSettings, settings);
        if (changed.isEmpty() && changedSettings.isEmpty()) {
            LOG.info("Reload ({}): nothing changed since the last one; the running routes go on as they are", trigger);
            return;
        }
        String what = describe(changed, changedSettings);
        List<String> notReloadable = changedSettings.stream()
                .filter(key -> RELOADABLE_SETTINGS.stream().noneMatch(key::startsWith)).toList();
        if (!notReloadable.isEmpty()) {
            refuse(trigger, what, List.of("application.properties changed " + String.join(", ", notReloadable)
                    + ": a restart applies that (only the channels are reloaded with the routes: channels.*, slack.channels.*,"
                    + " slack.webhook-url, alerts.channels)"));
            return;
        }
        List<String> problems = new ArrayList<>(check.settingsProblems());
        if (problems.isEmpty()) {
            problems.addAll(check.run().problems());
        }
        if (!problems.isEmpty()) {
            refuse(trigger, what, problems);
            return;
        }
        if (!changedSettings.isEmpty()) {
            getCamelContext().getPropertiesComponent().reloadProperties(propertiesLocation);
            getCamelContext().getRegistry().findByType(SettingsListener.class)
                    .forEach(SettingsListener::settingsReloaded);
        }
        try {
            apply(changed, files);
        } catch (Exception e) {
            restore(changed, files);
            lastSuccessful = false;
            LOG.error("Refused the change to {} ({}): applying it failed ({}); the routes it touched run as they were",
                    what, trigger, e.getMessage());
            return;
        }
        applied = files;
        appliedSettings = settings;
        lastSuccessful = true;
        lastSuccessMillis = clock.millis();
        LOG.info("Reloaded {} ({})", what, trigger);
    }

    private void refuse(String trigger, String what, List<String> problems) {
        lastSuccessful = false;
        LOG.error("Refused the change to {} ({}); the running routes are unchanged. Fix it and save again: {}",
                what, trigger, String.join(" | ", problems));
    }

    /** The changed files' routes replaced; the routes a file no longer has, or a deleted file had, stopped. */
    private void apply(Set<String> changed, Map<String, String> files) throws Exception {
        Map<String, Route> before = routesFrom(changed);
        List<Resource> now = new ArrayList<>();
        for (String location : changed) {
            if (files.containsKey(location)) {
                now.add(ResourceHelper.fromString(location, files.get(location)));
            }
        }
        Set<String> kept = PluginHelper.getRoutesLoader(getCamelContext()).updateRoutes(now);
        for (Map.Entry<String, Route> route : before.entrySet()) {
            if (!kept.contains(route.getKey())) {
                getCamelContext().getRouteController().stopRoute(route.getKey());
                getCamelContext().removeRoute(route.getKey());
                LOG.info("Route {} was taken out of {}: stopped and removed", route.getKey(),
                        RouteFiles.name(route.getValue().getSourceResource()));
            }
        }
    }

    /** After a failed apply: the routes of the touched files as they were last applied. */
    private void restore(Set<String> changed, Map<String, String> files) {
        try {
            for (String id : routesFrom(changed).keySet()) {
                getCamelContext().getRouteController().stopRoute(id);
                getCamelContext().removeRoute(id);
            }
            List<Resource> previous = new ArrayList<>();
            for (String location : changed) {
                if (applied.containsKey(location)) {
                    previous.add(ResourceHelper.fromString(location, applied.get(location)));
                }
            }
            PluginHelper.getRoutesLoader(getCamelContext()).updateRoutes(previous);
        } catch (Exception e) {
            LOG.error("The routes of {} could not be put back as they were: {}; restart the router",
                    String.join(", ", changed), e.getMessage());
        }
    }

    /** The routes loaded from these files, by id. */
    private Map<String, Route> routesFrom(Set<String> locations) {
        Map<String, Route> routes = new LinkedHashMap<>();
        for (Route route : getCamelContext().getRoutes()) {
            Resource source = route.getSourceResource();
            if (source != null && locations.contains(source.getLocation())) {
                routes.put(route.getRouteId(), route);
            }
        }
        return routes;
    }

    /** Every route file the router loads, its text by location. */
    private Map<String, String> routeFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        for (Resource file : RouteFiles.find(getCamelContext(), routesPattern)) {
            files.put(file.getLocation(), text(file));
        }
        return files;
    }

    private String settingsText() {
        try {
            Resource file = PluginHelper.getResourceLoader(getCamelContext()).resolveResource(propertiesLocation);
            return file.exists() ? text(file) : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static Set<String> changed(Map<String, String> before, Map<String, String> now) {
        Set<String> changed = new TreeSet<>();
        for (String location : new LinkedHashSet<>(before.keySet())) {
            if (!Objects.equals(before.get(location), now.get(location))) {
                changed.add(location);
            }
        }
        for (String location : now.keySet()) {
            if (!before.containsKey(location)) {
                changed.add(location);
            }
        }
        return changed;
    }

    /** The keys whose value (as written, before placeholders) differs between two texts of the settings file. */
    private static Set<String> changedKeys(String before, String now) {
        Properties old = properties(before);
        Properties next = properties(now);
        Set<String> keys = new TreeSet<>();
        for (String key : old.stringPropertyNames()) {
            if (!Objects.equals(old.getProperty(key), next.getProperty(key))) {
                keys.add(key);
            }
        }
        for (String key : next.stringPropertyNames()) {
            if (!old.containsKey(key)) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static Properties properties(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static String describe(Set<String> files, Set<String> settings) {
        List<String> parts = new ArrayList<>(files.stream().map(location -> location.substring(location.indexOf(':') + 1))
                .toList());
        if (!settings.isEmpty()) {
            parts.add("application.properties (" + String.join(", ", settings) + ")");
        }
        return String.join(", ", parts);
    }

    private static String text(Resource file) {
        try (InputStream in = file.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RouteFiles.name(file), e);
        }
    }

    @Override
    protected String startupMessage(File directory) {
        return "Live reload of route files in " + directory + " (a change that does not pass validation is refused)";
    }
}
