package io.github.chatcallbackrouter.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/** The route files a pattern names (file:routes/*.camel.yaml, several comma separated), and their names. */
public final class RouteFiles {

    private RouteFiles() {
    }

    /**
     * The files, sorted by name.
     *
     * @throws IllegalStateException naming the pattern whose directory cannot be listed
     */
    public static List<Resource> find(CamelContext context, String patterns) {
        List<Resource> files = new ArrayList<>();
        for (String pattern : patterns.split(",")) {
            try {
                files.addAll(PluginHelper.getPackageScanResourceResolver(context).findResources(pattern.trim()));
            } catch (Exception e) {
                throw new IllegalStateException(pattern.trim() + ": cannot list the route files", e);
            }
        }
        files.sort(Comparator.comparing(RouteFiles::name));
        return files;
    }

    /** A file's name as an operator knows it: routes/rules.camel.yaml. */
    public static String name(Resource file) {
        String location = file.getLocation();
        int scheme = location.indexOf(':');
        return scheme < 0 ? location : location.substring(scheme + 1);
    }

    /** The directory of the first pattern's files, as a location: file:routes for file:routes/*.camel.yaml. */
    public static String firstDirectory(String patterns) {
        String first = patterns.split(",")[0].trim();
        return first.substring(0, Math.max(first.lastIndexOf('/'), first.indexOf(':') + 1));
    }
}
