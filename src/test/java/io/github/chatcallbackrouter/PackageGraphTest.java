package io.github.chatcallbackrouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of src/main import each other without a circle (the entry point on top, the helpers at the bottom),
 * and support imports nothing of ours, as the README's package table says.
 */
class PackageGraphTest {

    private static final String ROOT = "io.github.chatcallbackrouter";
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?" + Pattern.quote(ROOT)
            + "((?:\\.[a-z]+)*)\\.[A-Z]", Pattern.MULTILINE);

    @Test
    void noPackageReachesItselfThroughItsImports() {
        Map<String, Set<String>> imports = imports();
        for (String from : imports.keySet()) {
            assertThat(reachable(imports, from)).as("a circle through " + from).doesNotContain(from);
        }
    }

    @Test
    void supportImportsNothingOfOurs() {
        assertThat(imports().getOrDefault(".support", Set.of())).isEmpty();
    }

    /** Package (".alert", "" for the root) to the packages of ours it imports. */
    private static Map<String, Set<String>> imports() {
        Path sources = Path.of("src/main/java/io/github/chatcallbackrouter");
        Map<String, Set<String>> graph = new HashMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = sources.relativize(file.getParent()).toString().replace('/', '.');
                String from = pkg.isEmpty() ? "" : "." + pkg;
                Matcher imported = IMPORT.matcher(Files.readString(file));
                Set<String> targets = graph.computeIfAbsent(from, key -> new TreeSet<>());
                while (imported.find()) {
                    if (!imported.group(1).equals(from)) {
                        targets.add(imported.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    private static Set<String> reachable(Map<String, Set<String>> graph, String from) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(graph.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(graph.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }
}
