package io.github.chatcallbackrouter.config;

import io.github.chatcallbackrouter.support.SettingsContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * Where the router's settings and route files are, and the settings as it reads them: ./application.properties and
 * ./routes/ when the working directory has them, else the copies inside the jar; an environment variable named in
 * a setting's {{env:NAME:default}} wins over the file.
 */
public final class Settings {

    /** The route files inside the jar, for a working directory without routes/. */
    public static final String JAR_ROUTES = "classpath:defaults/routes/*.camel.yaml,"
            + "classpath:defaults/routes/{{router.mode}}/*.camel.yaml";

    private Settings() {
    }

    /** The operator's application.properties when the working directory has one, else the jar's. */
    public static String propertiesLocation() {
        return Files.isRegularFile(Path.of("application.properties"))
                ? "file:application.properties" : "classpath:defaults/application.properties";
    }

    /** Several settings, by key, read at once (a context that is never started, so it logs nothing). */
    public static Map<String, String> read(String... keys) {
        CamelContext context = SettingsContext.create("settings", propertiesLocation(), Map.of());
        Map<String, String> values = new HashMap<>();
        for (String key : keys) {
            values.put(key, context.resolvePropertyPlaceholders("{{" + key + "}}"));
        }
        return values;
    }

    /** One setting. */
    public static String read(String key) {
        return read(new String[] {key}).get(key);
    }

    /** The route files the router loads in this directory: ./routes and its mode's folder, or the jar's copies. */
    public static String routesPattern() {
        return Files.isDirectory(Path.of("routes")) ? read("camel.main.routes-include-pattern")
                : JAR_ROUTES.replace("{{router.mode}}", read("router.mode"));
    }
}
