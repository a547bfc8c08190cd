package io.github.chatcallbackrouter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every shipped route file (and the embedded example's) passes the official Camel YAML DSL schema, so Kaoto and Karavan open it as written. */
class RouteSchemaTest {

    static List<Path> shippedRouteFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("routes"));
                Stream<Path> example = Files.walk(Path.of("examples/embedded/src/main/resources"))) {
            return Stream.concat(files, example).filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("shippedRouteFiles")
    void shippedRouteFilePassesTheSchema(Path file) throws IOException {
        assertThat(RouteSchema.problems(Files.readString(file))).isEmpty();
    }

    @Test
    void aStepTheDslDoesNotKnowIsNamed() {
        assertThat(RouteSchema.problems("""
                - route:
                    id: typo
                    from:
                      uri: direct:typo
                      steps:
                        - sendd: direct:elsewhere
                """)).singleElement().asString().contains("'sendd' is not defined");
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithItsPath() {
        // the schema wants expression constants as strings: `constant: 1` breaks editors, not Camel
        assertThat(RouteSchema.problems("""
                - route:
                    from:
                      uri: direct:pace
                      steps:
                        - throttle:
                            constant: 1
                """)).anyMatch(p -> p.contains("/0/route/from/steps/0/throttle/constant"));
    }

    @Test
    void brokenYamlIsReportedWithItsLine() {
        assertThat(RouteSchema.problems("- route:\n    from: [\n")).singleElement().asString()
                .startsWith("not valid YAML").contains("line");
    }
}
