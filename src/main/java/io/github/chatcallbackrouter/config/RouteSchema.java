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
 * Karavan and editors use: a route file that passes it opens in those tools as written.
 */
public final class RouteSchema {

    private static final int MAX_PROBLEMS = 5;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static volatile JsonSchema schema;

    private RouteSchema() {
    }

    /** What the schema finds wrong with one YAML route file's text; empty when it passes. */
    public static List<String> problems(String yaml) {
        JsonNode routes;
        try {
            routes = YAML.readTree(yaml);
        } catch (JacksonException e) {
            return List.of("not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (routes == null) {
            return List.of("the file is empty");
        }
        return schema().validate(routes).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .limit(MAX_PROBLEMS)
                .map(message -> "does not match the Camel YAML DSL schema: " + message)
                .toList();
    }

    private static JsonSchema schema() {
        if (schema == null) {
            try (InputStream in = RouteSchema.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
                // the schema marks options "deprecated", a keyword draft-04 does not define: known, not validated
                JsonMetaSchema draft4 = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                        .keyword(new NonValidationKeyword("deprecated")).build();
                // built as the files need it: preloading every definition holds about 250 MB of heap
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                        factory -> factory.metaSchema(draft4)).getSchema(in,
                        SchemaValidatorsConfig.builder().preloadJsonSchema(false).build());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Camel YAML DSL schema", e);
            }
        }
        return schema;
    }
}
