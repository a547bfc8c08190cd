package io.github.chatcallbackrouter.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each endpoint the Java names is the input of a route the router ships (routes/, every mode). */
class RouteEndpointsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The input URI of each route in routes/. */
    private static Set<String> inputs() throws Exception {
        Set<String> inputs = new HashSet<>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                for (JsonNode item : YAML.readTree(file.toFile())) {
                    String uri = item.at("/route/from/uri").asText();
                    if (!uri.isEmpty()) {
                        inputs.add(uri);
                    }
                }
            }
        }
        return inputs;
    }

    private static List<Field> endpoints() {
        return Stream.of(RouteEndpoints.class.getDeclaredFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class).toList();
    }

    @Test
    void everyEndpointIsTheInputOfAShippedRoute() throws Exception {
        Set<String> inputs = inputs();
        assertThat(endpoints()).hasSizeGreaterThan(5);
        for (Field field : endpoints()) {
            String uri = (String) field.get(null);
            assertThat(inputs).as(field.getName() + " = " + uri + ": a route in routes/ reads it").contains(uri);
        }
    }

    @Test
    void camelsFormOfAnEndpointHasTheSlashes() {
        assertThat(RouteEndpoints.normalised(RouteEndpoints.RULES)).isEqualTo("direct://rules");
        assertThat(RouteEndpoints.normalised("direct://rules")).isEqualTo("direct://rules");
        assertThat(RouteEndpoints.normalised(RouteEndpoints.HAND_OFF_QUEUE)).isEqualTo("seda://callbacks");
    }
}
