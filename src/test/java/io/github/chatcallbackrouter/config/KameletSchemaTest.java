package io.github.chatcallbackrouter.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped Kamelet and Pipe passes Camel K's v1 schemas and the checks beside them, so Kaoto, Karavan and Camel
 * K read them as written; and each kind of mistake an author makes is named.
 */
class KameletSchemaTest {

    static List<Path> shippedFiles() throws IOException {
        try (Stream<Path> kamelets = Files.list(Path.of("kamelets"));
                Stream<Path> pipes = Files.list(Path.of("examples/pipes"))) {
            return Stream.concat(kamelets, pipes).filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("shippedFiles")
    void shippedFilePassesItsSchema(Path file) throws IOException {
        assertThat(Files.readString(file)).containsAnyOf("kind: Kamelet", "kind: Pipe");
        assertThat(RouteSchema.problems(file.toString(), Files.readString(file))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("shippedFiles")
    void theEmbeddingGuideNamesEachKameletAndItsParameters(Path file) throws IOException {
        JsonNode document = RouteSchema.YAML.readTree(file.toFile());
        if (!"Kamelet".equals(document.path("kind").asText())) {
            return;
        }
        String guide = Files.readString(Path.of("docs/embedding.md"));
        String name = document.at("/metadata/name").asText();
        String row = guide.lines().filter(line -> line.startsWith("| `" + name + "`")).findFirst().orElseThrow(() -> new AssertionError("docs/embedding.md has no row for " + file));
        document.at("/spec/definition/properties").fieldNames()
                .forEachRemaining(parameter -> assertThat(row).contains("`" + parameter + "`"));
        document.at("/spec/definition/required")
                .forEach(required -> assertThat(row).contains("**`" + required.asText() + "`**"));
    }

    static Stream<Arguments> mistakes() {
        String sink = "kamelets/dingtalk-robot-sink.kamelet.yaml";
        String pipe = "examples/pipes/alarm-to-dingtalk.pipe.yaml";
        return Stream.of(
                Arguments.of(sink, "kind: Kamelet\n", "kind: Kamelet\nspecc: {}\n", "'specc' is not defined"),
                Arguments.of(sink, "apiVersion: camel.apache.org/v1\n", "apiVersion: camel.apache.org/v1alpha1\n",
                        "apiVersion must be camel.apache.org/v1"),
                Arguments.of(sink, "name: dingtalk-robot-sink", "name: dingtalk-sink",
                        "is looked up as dingtalk-sink.kamelet.yaml, not dingtalk-robot-sink.kamelet.yaml"),
                Arguments.of(sink, "kamelet.type: \"sink\"", "kamelet.type: \"target\"",
                        "must be source, action or sink, not 'target'"),
                Arguments.of(sink, "        title: Signing secret\n", "", "parameter 'secret' has no title"),
                Arguments.of(sink, "        title: Signing secret\n", "        titel: Signing secret\n",
                        "'titel' is not defined"),
                Arguments.of(sink, "          - urn:camel:group:credentials\n", "          - urn:other\n",
                        "is a password without the x-descriptor urn:camel:group:credentials"),
                Arguments.of(sink, "      - url\n", "      - url\n      - webhook\n",
                        "requires 'webhook', which it does not declare"),
                Arguments.of(sink, "url: \"{{url}}\"", "url: \"{{uri}}\"",
                        "uses {{uri}}, which is neither a parameter nor a bean of it"),
                Arguments.of(sink, "      - process:", "      - proces:", "spec.template does not match the Camel"),
                Arguments.of(pipe, "name: dingtalk-robot-sink", "name: dingtalk-sink",
                        "names the Kamelet 'dingtalk-sink', which is not on the classpath"),
                Arguments.of(pipe, "      secret: ", "      secrett: ",
                        "sets 'secrett', which the Kamelet dingtalk-robot-sink does not declare (did you mean secret?)"),
                Arguments.of(pipe, "      url: \"RAW({{dingtalk.robot-url}})\"\n", "",
                        "spec.sink does not set 'url', which the Kamelet dingtalk-robot-sink requires"),
                Arguments.of(pipe, "  errorHandler:", "  errorHandlr:", "'errorHandlr' is not defined"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void aMistakeIsNamed(String file, String written, String mistaken, String named) {
        String text = read(file);
        assertThat(text).contains(written);
        assertThat(RouteSchema.problems(file, text.replace(written, mistaken)))
                .anySatisfy(problem -> assertThat(problem).contains(named));
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
