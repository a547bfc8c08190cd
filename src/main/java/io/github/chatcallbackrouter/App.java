package io.github.chatcallbackrouter;

import io.github.chatcallbackrouter.server.ReadyGatedHttpServerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * Runs the router with camel-main. Settings come from ./application.properties and the routes from
 * ./routes/*.camel.yaml when the working directory has them, so an operator edits them without rebuilding;
 * otherwise from the copies inside the jar.
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) throws Exception {
        router(Map.of()).run();
    }

    /** A router ready to start; {@code overrides} win over application.properties and the environment. */
    public static Main router(Map<String, String> overrides) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(Files.isRegularFile(Path.of("application.properties"))
                ? "file:application.properties" : "classpath:application.properties");
        if (!Files.isDirectory(Path.of("routes"))) {
            main.addOverrideProperty("camel.main.routes-include-pattern", "classpath:routes/*.camel.yaml");
        }
        main.bind("readyGatedHttpServerFactory", new ReadyGatedHttpServerFactory());
        overrides.forEach(main::addOverrideProperty);
        return main;
    }
}
