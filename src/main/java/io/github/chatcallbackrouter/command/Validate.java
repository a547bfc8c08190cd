package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.config.Settings;
import io.github.chatcallbackrouter.config.RouteCheck;
import io.github.chatcallbackrouter.config.SettingsCheck;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.FileUtil;

/**
 * {@code validate}: checks application.properties and every route file as the router would read them in this
 * directory, without starting the server or sending anything. Exit 0 when all is well; 1 with one line per
 * problem, each naming its file and setting or route.
 */
public final class Validate {

    private final PrintStream out;

    public Validate(PrintStream out) {
        this.out = out;
    }

    public int run() {
        String properties = Settings.propertiesLocation();
        String propertiesName = properties.startsWith("file:") ? "application.properties"
                : "application.properties (the jar's; none in this directory)";
        List<String> problems = new ArrayList<>();
        String pattern = Settings.routesPattern();
        List<String> warnings;
        CamelContext context = new DefaultCamelContext();
        try {
            context.getPropertiesComponent().setLocation(properties);
            problems.addAll(SettingsCheck.problems(context.getPropertiesComponent(), propertiesName));
            warnings = SettingsCheck.warnings(context.getPropertiesComponent(), propertiesName);
        } finally {
            context.stop();
        }
        Path scratch = scratchDataDirectory();
        // the beans make their directories in a scratch directory, not in the router's data directory
        RouteCheck routes = new RouteCheck(properties, pattern, Map.of("router.data-dir", scratch.toString()));
        RouteCheck.Report report = routes.run();
        problems.addAll(report.problems());
        FileUtil.removeDir(scratch.toFile());

        out.println("Checked " + propertiesName + ", " + report.files() + " route files (" + pattern + ") and "
                + report.tests() + " rule tests (tests/*.yaml beside them).");
        warnings.forEach(warning -> out.println("  warning: " + warning));
        if (problems.isEmpty()) {
            out.println("OK: the router would start with these settings and routes, and every rule test passes.");
            return 0;
        }
        problems.forEach(problem -> out.println("  " + problem));
        out.println(problems.size() + (problems.size() == 1 ? " problem: fix it" : " problems: fix them")
                + " before starting the router. Nothing was started or sent.");
        return 1;
    }

    private static Path scratchDataDirectory() {
        try {
            return Files.createTempDirectory("router-validate");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
