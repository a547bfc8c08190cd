package io.github.chatcallbackrouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of src/main keep the layering that docs/architecture.md draws: the picture in its {@code layers}
 * block, read from there, top line first; a package imports only packages on lines below its own. So the picture
 * and the code cannot drift apart, and there is no circle.
 */
class PackageGraphTest {

    private static final String ROOT = "io.github.chatcallbackrouter";
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?" + Pattern.quote(ROOT)
            + "((?:\\.[a-z]+)*)\\.[A-Z]", Pattern.MULTILINE);
    private static final Pattern PICTURE = Pattern.compile("```layers\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyImportGoesToALowerLayerOfTheArchitecturePicture() {
        Map<String, Integer> layers = layers();
        List<String> breaks = new ArrayList<>();
        imports().forEach((from, targets) -> targets.forEach(to -> {
            if (layers.containsKey(from) && layers.containsKey(to) && layers.get(to) <= layers.get(from)) {
                breaks.add(name(from) + " imports " + name(to) + ", which is not below it");
            }
        }));
        assertThat(breaks).as("imports against docs/architecture.md's layers").isEmpty();
    }

    @Test
    void everyPackageHasItsPlaceInThePicture() {
        assertThat(layers().keySet()).as("the packages docs/architecture.md places")
                .containsExactlyInAnyOrderElementsOf(imports().keySet());
    }

    @Test
    void supportIsTheBottomLayer() {
        Map<String, Integer> layers = layers();
        assertThat(layers.get(".support")).isEqualTo(layers.values().stream().max(Integer::compare).orElseThrow());
        assertThat(imports().getOrDefault(".support", Set.of())).isEmpty();
    }

    /** Package (".alert", "" for the root) to its layer, 0 on top, as the picture draws it. */
    private static Map<String, Integer> layers() {
        Matcher picture;
        try {
            picture = PICTURE.matcher(Files.readString(Path.of("docs/architecture.md")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(picture.find()).as("docs/architecture.md has a ```layers block").isTrue();
        Map<String, Integer> layers = new HashMap<>();
        List<String> lines = picture.group(1).lines().filter(line -> !line.isBlank()).toList();
        for (int layer = 0; layer < lines.size(); layer++) {
            // the packages, then two spaces or more, then what they are
            for (String pkg : lines.get(layer).split("\\s{2,}")[0].trim().split(" ")) {
                layers.put(pkg.equals("(top)") ? "" : "." + pkg, layer);
            }
        }
        return layers;
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? "(top)" : pkg.substring(1);
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
}
