package io.github.chatcallbackrouter.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The official Camel YAML DSL JSON schema (schema/camelYamlDsl.json in the camel-yaml-dsl jar), the one Kaoto,
 * Karavan and editors use: a route file that passes it opens in those tools as written. Kamelets and Pipes are
 * checked against their own schemas ({@link KameletSchema}).
 */
public final class RouteSchema {

    private static final int MAX_PROBLEMS = 5;
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static volatile JsonSchema schema;

    private RouteSchema() {
    }

    /** What the schema finds wrong with one YAML route file's text; empty when it passes. */
    public static List<String> problems(String yaml) {
        return problems(null, yaml);
    }

    /**
     * What the schemas find wrong with one YAML file: a list of routes against the Camel YAML DSL schema, a Kamelet
     * or a Pipe as {@link KameletSchema} checks it (its file name, when known, must match its name); empty when
     * it passes.
     */
    public static List<String> problems(String fileName, String yaml) {
        JsonNode document;
        try {
            document = YAML.readTree(yaml);
        } catch (JacksonException e) {
            return List.of("not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (document == null) {
            return List.of("the file is empty");
        }
        if (KameletSchema.applies(document)) {
            return KameletSchema.problems(fileName, document);
        }
        return validate(camelYamlDsl(), document, "does not match the Camel YAML DSL schema: ");
    }

    /** The first few of what a schema finds, in a stable order, each after the prefix. */
    static List<String> validate(JsonSchema against, JsonNode document, String prefix) {
        return against.validate(document).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .limit(MAX_PROBLEMS)
                .map(message -> prefix + message)
                .toList();
    }

    static JsonSchema camelYamlDsl() {
        if (schema == null) {
            schema = load("/schema/camelYamlDsl.json");
        }
        return schema;
    }

    /** A draft-04 schema from the classpath, its definitions built as documents need them. */
    static JsonSchema load(String resource) {
        try (InputStream in = RouteSchema.class.getResourceAsStream(resource)) {
            // keywords of the Camel schema ("deprecated") and of Kubernetes' OpenAPI: known, not validated
            JsonMetaSchema.Builder draft4 = JsonMetaSchema.builder(JsonMetaSchema.getV4());
            for (String keyword : List.of("deprecated", "$comment", "nullable",
                    "x-kubernetes-preserve-unknown-fields", "x-kubernetes-map-type")) {
                draft4.keyword(new NonValidationKeyword(keyword));
            }
            // built as the files need it: preloading every definition holds about 250 MB of heap
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                    factory -> factory.metaSchema(draft4.build())).getSchema(in,
                    SchemaValidatorsConfig.builder().preloadJsonSchema(false).build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema " + resource, e);
        }
    }
}
