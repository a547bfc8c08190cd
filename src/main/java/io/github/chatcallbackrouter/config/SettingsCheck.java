package io.github.chatcallbackrouter.config;

import io.github.chatcallbackrouter.callback.Apps;
import io.github.chatcallbackrouter.config.Declarations.Setting;
import io.github.chatcallbackrouter.server.TlsFiles;
import io.github.chatcallbackrouter.support.DidYouMean;
import io.github.chatcallbackrouter.support.RouteFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.CatalogCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;

/**
 * The settings checked against their declarations ({@link Declarations}): each value of its kind, and each key in
 * the file declared, so a typo is named instead of silently ignored. Keys of Camel's own ({@code camel.*}) that
 * the file adds are checked against what camel-main and the components can bind. The settings the routes' beans
 * take (SDKAppIDs, Slack channels) are also checked by the beans when {@link RouteCheck} loads the routes.
 */
public final class SettingsCheck {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)");
    /** The key prefixes that are the router's own: a key under them that is not declared is a typo. */
    private static final List<String> OURS = List.of("router.", "tencent.", "slack.", "upstream.", "decide.", "http.",
            "alerts.", "kafka.");
    private static final Pattern COMPONENT_OPTION = Pattern.compile("\"([A-Za-z0-9]+)\": \\{ \"index\"");
    private static final Pattern MAIN_OPTION = Pattern.compile("\"name\": \"(camel\\.[^\"]+)\"");
    /** Channels and apps are settings of their own (channels.NAME.type, apps.NAME.sdkappid), checked by their beans. */
    private static final List<String> OWN_CHECKS = List.of("channels.", "slack.channels.", "apps.");
    /** A setting a route file uses: {{name}} or {{name:default}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_.-]+)(:[^}]*)?}}");

    private SettingsCheck() {
    }

    /** Each setting that is missing, malformed or unknown, as one line naming it, its value and what it should be. */
    public static List<String> problems(CamelContext context, String fileName) {
        PropertiesComponent properties = context.getPropertiesComponent();
        List<String> problems = new ArrayList<>();
        for (Setting setting : Declarations.all()) {
            if (setting.kind().fixed()) {
                continue;
            }
            Optional<String> value;
            try {
                value = properties.resolveProperty(setting.key()).map(String::trim);
            } catch (RuntimeException e) {
                problems.add(fileName + ": " + setting.key() + ": " + e.getMessage());
                continue;
            }
            if (value.isEmpty()) {
                problems.add(fileName + ": " + setting.key() + " is missing; it should be " + setting.kind().expected());
            } else if (setting.kind().problem(value.get()) != null) {
                problems.add(fileName + ": " + setting.key() + setting.kind().shown(value.get())
                        + source(properties, setting.key()) + " " + setting.kind().problem(value.get()));
            }
        }
        if (problems.isEmpty()) {
            // the callback port's HTTPS files, and the apps, once each setting they read is well formed
            try {
                TlsFiles.of(context);
            } catch (IllegalArgumentException e) {
                problems.add(fileName + ": " + e.getMessage());
            }
            try {
                Apps.check(context);
            } catch (IllegalArgumentException e) {
                problems.add(fileName + ": " + e.getMessage());
            }
        }
        String server = properties.resolveProperty("camel.server.port").orElse("");
        if (!server.isEmpty() && !"0".equals(server)
                && server.equals(properties.resolveProperty("camel.management.port").orElse(""))) {
            problems.add(fileName + ": camel.server.port and camel.management.port are both " + server
                    + "; the management endpoints need a port of their own");
        }
        Set<String> used = usedByRoutes(context);
        for (Object key : properties.loadProperties().keySet()) {
            unknown(context, key.toString(), used).ifPresent(problem -> problems.add(fileName + ": " + problem));
        }
        return problems;
    }

    /** What would start but should not stay so: one line each, naming the settings. */
    public static List<String> warnings(PropertiesComponent properties, String fileName) {
        String token = properties.resolveProperty("tencent.callback-token").orElse("").trim();
        String host = properties.resolveProperty("camel.server.host").orElse("0.0.0.0").trim();
        if (token.isEmpty() && !isLoopback(host)) {
            return List.of(fileName + ": tencent.callback-token is empty, so the signature check is off, and"
                    + " camel.server.host = '" + host + "' listens beyond this machine: anyone who finds the port can"
                    + " post forged alarms. Turn on webhook authentication in Chat's console and set"
                    + " TENCENT_CALLBACK_TOKEN.");
        }
        return List.of();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The settings the route files name ({{key}}); none when the files cannot be read (the route check says why). */
    private static Set<String> usedByRoutes(CamelContext context) {
        Set<String> used = new HashSet<>();
        String patterns = context.getPropertiesComponent().resolveProperty("camel.main.routes-include-pattern")
                .orElse("");
        try {
            for (Resource file : RouteFiles.find(context, patterns)) {
                try (InputStream in = file.getInputStream()) {
                    Matcher placeholder = PLACEHOLDER.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    while (placeholder.find()) {
                        used.add(placeholder.group(1));
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // the route check reports route files that cannot be read
        }
        return used;
    }

    /** " (from env NAME)" when an environment variable set the value. */
    private static String source(PropertiesComponent properties, String key) {
        Object raw = properties.loadProperties().get(key);
        Matcher env = ENV.matcher(raw == null ? "" : raw.toString());
        return env.find() && System.getenv(env.group(1)) != null ? " (from env " + env.group(1) + ")" : "";
    }

    /**
     * Why a key of the file is not a setting, if it is not: a typo of ours, a Camel option that does not exist, or a
     * key no route file uses.
     */
    private static Optional<String> unknown(CamelContext context, String key, Set<String> usedByRoutes) {
        if (Declarations.find(key).isPresent() || OWN_CHECKS.stream().anyMatch(key::startsWith)) {
            return Optional.empty();
        }
        if (OURS.stream().anyMatch(key::startsWith)) {
            return Optional.of(key + " is not a setting of the router" + DidYouMean.among(key, Declarations.all().stream()
                    .map(Setting::key)));
        }
        if (!key.startsWith("camel.")) {
            return usedByRoutes.contains(key) ? Optional.empty() : Optional.of(key + " is neither a setting of the"
                    + " router nor used by a route file, so nothing reads it" + DidYouMean.among(key, Stream.concat(
                    Declarations.all().stream().map(Setting::key), usedByRoutes.stream())));
        }
        Optional<Set<String>> options = camelOptions(context, key);
        if (options.isEmpty() || options.get().stream().anyMatch(option -> DidYouMean.normalised(option).equals(DidYouMean.normalised(key)))) {
            return Optional.empty();
        }
        return Optional.of(key + " is not an option Camel knows, so it would be ignored or stop the start"
                + DidYouMean.among(key, options.get().stream()));
    }

    /**
     * The options Camel can bind under the key's prefix, as they are written in application.properties
     * (camel.main.shutdown-timeout): camel-main's groups (camel.main, camel.server, ...) from its metadata, a
     * component's from its schema. Empty when the prefix is not one of those.
     */
    private static Optional<Set<String>> camelOptions(CamelContext context, String key) {
        String[] parts = key.split("\\.");
        if (parts.length >= 4 && parts[1].equals("component") && context instanceof CatalogCamelContext catalog) {
            try {
                String schema = catalog.getComponentParameterJsonSchema(parts[2]);
                if (schema == null) {
                    return Optional.of(Set.of());
                }
                // the component's own options, not its endpoints' (the "properties" that follow)
                int start = schema.indexOf("\"componentProperties\"");
                int end = schema.indexOf("\"properties\"", Math.max(start, 0));
                Set<String> names = new HashSet<>();
                Matcher name = COMPONENT_OPTION.matcher(schema.substring(Math.max(start, 0), end < 0 ? schema.length() : end));
                while (name.find()) {
                    names.add(kebab("camel.component." + parts[2] + "." + name.group(1)));
                }
                return Optional.of(names);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        Set<String> main = mainOptions();
        String group = parts.length > 1 ? "camel." + parts[1] + "." : "";
        return main.stream().anyMatch(option -> option.startsWith(group))
                ? Optional.of(main) : Optional.empty();
    }

    /** camel-main's options (camel.main.shutdown-timeout, camel.server.port, ...). */
    private static Set<String> mainOptions() {
        try (InputStream in = SettingsCheck.class.getResourceAsStream("/META-INF/camel-main-configuration-metadata.json")) {
            if (in == null) {
                return Set.of();
            }
            Matcher name = MAIN_OPTION.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Set<String> names = new HashSet<>();
            while (name.find()) {
                names.add(kebab(name.group(1)));
            }
            return names;
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** camel.main.shutdownTimeout as application.properties writes it: camel.main.shutdown-timeout. */
    private static String kebab(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
