package io.github.chatcallbackrouter.command;

import io.github.chatcallbackrouter.config.Settings;
import io.github.chatcallbackrouter.config.RouteCheck;
import io.github.chatcallbackrouter.config.RouteSchema;
import io.github.chatcallbackrouter.config.SettingsCheck;
import io.github.chatcallbackrouter.support.SettingsContext;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.camel.CamelContext;
import org.apache.camel.util.FileUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code validate}: checks application.properties and every route file as the router would read them in this
 * directory, without starting the server or sending anything. Exit 0 when all is well; 1 with one line per
 * problem, each naming its file and setting or route.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, description = {
        "Check the settings, the route files and their rule tests, without starting anything.",
        "Everything is read as the router would read it in this directory; the rule tests in routes/tests/ run with"
                + " every delivery recorded, not made. Exit 0 when all is well, 1 with one line per problem.",
        "Given files (Kamelets, Pipes or route files), checks only those against their schemas."})
public final class Validate implements Callable<Integer> {

    private final PrintStream out = System.out;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Kamelet (*.kamelet.yaml), Pipe or route files to check against their schemas alone")
    private List<Path> files = List.of();

    @Override
    public Integer call() {
        if (!files.isEmpty()) {
            return checkFiles();
        }
        String properties = Settings.propertiesLocation();
        String propertiesName = properties.startsWith("file:") ? "application.properties"
                : "application.properties (the jar's; none in this directory)";
        String pattern = Settings.routesPattern();
        CamelContext context = SettingsContext.create("validate", properties, Map.of());
        List<String> problems = new ArrayList<>(SettingsCheck.problems(context, propertiesName));
        SettingsCheck.warnings(context.getPropertiesComponent(), propertiesName)
                .forEach(warning -> out.println("  warning: " + warning));
        if (!problems.isEmpty()) {
            // the routes' beans would report the same values again: the settings come first
            out.println("Checked " + propertiesName + "; the route files are checked once the settings pass.");
            return report(problems);
        }
        Path scratch = scratchDataDirectory();
        // the beans make their directories in a scratch directory, not in the router's data directory
        RouteCheck.Report routes = new RouteCheck(properties, pattern, Map.of("router.data-dir", scratch.toString()))
                .run();
        FileUtil.removeDir(scratch.toFile());
        out.println("Checked " + propertiesName + ", " + routes.files() + " route files (" + pattern + ") and "
                + routes.tests() + " rule tests (tests/*.yaml beside them).");
        if (routes.problems().isEmpty()) {
            out.println("OK: the router would start with these settings and routes, and every rule test passes.");
            return 0;
        }
        return report(routes.problems());
    }

    private int checkFiles() {
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                RouteSchema.problems(file.toString(), Files.readString(file))
                        .forEach(problem -> problems.add(file + ": " + problem));
            } catch (IOException e) {
                problems.add(file + ": cannot be read (" + e.getMessage() + ")");
            }
        }
        out.println("Checked " + files.size() + (files.size() == 1 ? " file" : " files")
                + " against the Camel YAML DSL, Kamelet and Pipe schemas.");
        if (problems.isEmpty()) {
            out.println("OK: Kaoto, Karavan and Camel K read them as written.");
            return 0;
        }
        return report(problems);
    }

    private int report(List<String> problems) {
        problems.forEach(problem -> out.println("  " + problem));
        out.println(problems.size() + (problems.size() == 1 ? " problem: fix it" : " problems: fix them")
                + (files.isEmpty() ? " before starting the router" : "") + ". Nothing was started or sent.");
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
