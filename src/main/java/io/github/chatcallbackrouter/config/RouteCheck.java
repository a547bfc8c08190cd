package io.github.chatcallbackrouter.config;

import io.github.chatcallbackrouter.explain.RuleTests;
import io.github.chatcallbackrouter.support.RouteFiles;
import io.github.chatcallbackrouter.support.RouterMeters;
import io.github.chatcallbackrouter.support.SettingsContext;
import io.github.chatcallbackrouter.support.Urls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * The route files checked as a start would check them, without starting anything: each file against the
 * official schema ({@link RouteSchema}), then all of them loaded into a scratch CamelContext that is initialised
 * (steps, beans and the settings they take, endpoints are created) but never started, so no port opens, no
 * broker is contacted and nothing is sent. Every problem names its file.
 */
public final class RouteCheck {

    private static final Pattern URL = Pattern.compile("https?://[^\\s\"']+");

    private final String propertiesLocation;
    private final String routesPattern;
    private final Map<String, String> overrides;

    /**
     * @param propertiesLocation where the settings come from, e.g. file:application.properties
     * @param routesPattern      the route files, e.g. file:routes/*.camel.yaml; several are comma separated
     * @param overrides          settings that win over the file and the environment
     */
    public RouteCheck(String propertiesLocation, String routesPattern, Map<String, String> overrides) {
        this.propertiesLocation = propertiesLocation;
        this.routesPattern = routesPattern;
        this.overrides = overrides;
    }

    /**
     * What a check found: how many route files and rule-test cases, and every problem as "file: problem" (none:
     * they would start, and every rule test passes).
     */
    public record Report(int files, int tests, List<String> problems) {
    }

    /** The settings' problems, as the start would find them (the settings file with the same overrides). */
    public List<String> settingsProblems() {
        return SettingsCheck.problems(SettingsContext.create("settings-check", propertiesLocation, overrides),
                "application.properties");
    }

    /**
     * Checks the files, then runs the rule tests beside them ({@link RuleTests}) when they load. Beans are
     * created, so the spools make their directories under router.data-dir; a file store is read, never written.
     * What the scratch routes would count is not counted, and their beans' gauges are not published.
     */
    public Report run() {
        try {
            return RouterMeters.offTheRecord(() -> {
                Report routes = check();
                if (!routes.problems().isEmpty()) {
                    return routes;
                }
                RuleTests.Result tests = RuleTests.run(propertiesLocation, routesPattern, overrides);
                return new Report(routes.files(), tests.cases(), tests.problems());
            });
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeCamelException(e);
        }
    }

    private Report check() {
        Set<String> problems = new LinkedHashSet<>();
        List<Resource> files;
        DefaultCamelContext context = SettingsContext.create("route-check", propertiesLocation, overrides);
        try {
            context.setAutoStartup(false);
            try {
                files = RouteFiles.find(context, routesPattern);
            } catch (IllegalStateException e) {
                return new Report(0, 0, List.of(e.getMessage() + " (" + e.getCause() + ")"));
            }
            if (files.isEmpty()) {
                return new Report(0, 0, List.of(routesPattern + ": no route files found"));
            }
            for (Resource file : files) {
                String name = RouteFiles.name(file);
                String text = text(file);
                RouteSchema.problems(name, text).forEach(problem -> problems.add(name + ": " + problem));
                credentialsInUrls(text).forEach(problem -> problems.add(name + ": " + problem));
                try {
                    PluginHelper.getRoutesLoader(context).loadRoutes(file);
                } catch (Exception e) {
                    problems.add(name + ": " + Problems.describe(e, secrets(context)));
                }
            }
            if (problems.isEmpty()) {
                try {
                    // creates every route (steps, beans, endpoints) without starting one or connecting anywhere
                    context.init();
                    problems.addAll(unconsumedTargets(context));
                } catch (Exception e) {
                    problems.add(fileOf(context, e) + ": " + Problems.describe(e, secrets(context)));
                }
            }
        } finally {
            // only initialised: stopping would stop services that never started (KafkaIdempotentRepository
            // then throws), and there is nothing to release
            if (context.isStarted()) {
                context.stop();
            }
        }
        return new Report(files.size(), 0, List.copyOf(problems));
    }

    /**
     * Each URL with credentials before its host in a route file (comments aside): the router would keep them with
     * every delivery and show them wherever the URL is shown, so it refuses them.
     */
    static List<String> credentialsInUrls(String text) {
        List<String> problems = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("#")) {
                continue;
            }
            Matcher url = URL.matcher(lines.get(i));
            while (url.find()) {
                if (Urls.hasCredentials(url.group())) {
                    problems.add("line " + (i + 1) + ": the URL " + Urls.redact(url.group()) + " carries credentials"
                            + " (user:password@), which would be kept with every delivery and shown with the URL;"
                            + " the router does not send credentials from a URL (docs/hostile-ground.md)");
                }
            }
        }
        return problems;
    }

    /**
     * Each direct: or seda: endpoint a route sends to that no route consumes: a typo in a rule, or a deleted
     * delivery file. Camel would accept it and fail each message later (a direct: send waits 30 s first).
     */
    private static List<String> unconsumedTargets(DefaultCamelContext context) {
        Set<String> consumed = new HashSet<>();
        for (RouteDefinition route : context.getRouteDefinitions()) {
            internalTarget(context, route.getInput().getEndpointUri()).ifPresent(consumed::add);
        }
        List<String> problems = new ArrayList<>();
        for (RouteDefinition route : context.getRouteDefinitions()) {
            List<String> uris = new ArrayList<>();
            ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), SendDefinition.class)
                    .forEach(send -> uris.add(send.getEndpointUri()));
            ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ToDynamicDefinition.class)
                    .forEach(send -> uris.add(send.getUri()));
            for (String uri : uris) {
                internalTarget(context, uri)
                        .filter(target -> !consumed.contains(target))
                        .ifPresent(target -> problems.add((route.getResource() == null ? "routes"
                                : RouteFiles.name(route.getResource())) + ": route " + route.getRouteId() + " sends to "
                                + target + ", which no route consumes (a typo, or a route file that is gone)"));
            }
        }
        return problems;
    }

    /** "direct:name" or "seda:name" for such an endpoint URI (options dropped), else empty. */
    private static Optional<String> internalTarget(DefaultCamelContext context, String uri) {
        if (uri == null || uri.contains("${")) {
            return Optional.empty();
        }
        String resolved = context.resolvePropertyPlaceholders(uri);
        int colon = resolved.indexOf(':');
        String scheme = colon < 0 ? "" : resolved.substring(0, colon);
        if (!scheme.equals("direct") && !scheme.equals("seda")) {
            return Optional.empty();
        }
        String name = resolved.substring(colon + 1).replaceFirst("^//", "");
        int options = name.indexOf('?');
        return Optional.of(scheme + ":" + (options < 0 ? name : name.substring(0, options)));
    }

    /** The values that must never be printed: the secret settings', and each channel's URL and secret. */
    private static List<String> secrets(DefaultCamelContext context) {
        List<String> values = new ArrayList<>();
        List<String> keys = new ArrayList<>(Declarations.secretKeys());
        context.getPropertiesComponent().loadProperties(RouteCheck::isChannelSecret).keySet()
                .forEach(key -> keys.add(key.toString()));
        for (String key : keys) {
            context.getPropertiesComponent().resolveProperty(key).filter(value -> !value.isBlank())
                    .ifPresent(values::add);
        }
        return values;
    }

    /** A channel's URL (a webhook's path, a robot's key) is as secret as its secret. */
    private static boolean isChannelSecret(String key) {
        return key.startsWith("slack.channels.") && key.endsWith(".webhook-url")
                || key.startsWith("channels.") && (key.endsWith(".url") || key.endsWith(".secret"));
    }

    /** The file a route that failed to be created or started was loaded from. */
    private static String fileOf(DefaultCamelContext context, Exception e) {
        String routeId = e instanceof FailedToCreateRouteException created ? created.getRouteId()
                : e instanceof FailedToStartRouteException started ? started.getRouteId() : null;
        RouteDefinition route = routeId == null ? null : context.getRouteDefinition(routeId);
        return route != null && route.getResource() != null ? RouteFiles.name(route.getResource()) : "routes";
    }

    private static String text(Resource file) {
        try (InputStream in = file.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RouteFiles.name(file), e);
        }
    }
}
