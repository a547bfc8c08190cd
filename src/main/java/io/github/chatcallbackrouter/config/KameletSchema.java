package io.github.chatcallbackrouter.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import io.github.chatcallbackrouter.support.DidYouMean;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Spliterators;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * A Kamelet or a Pipe checked as Kaoto, Karavan and Camel K read it: against the v1 schema of Camel K's Kamelet
 * or Pipe resource (schema/kamelet.json, schema/pipe.json, written by scripts/kamelet-schemas.py), a Kamelet's
 * template against the Camel YAML DSL schema as the route template it becomes, and what the schemas cannot say:
 * the name the runtime looks the file up by, the type label, a title, description and type on every parameter a
 * visual editor shows, placeholders that name a declared parameter, and a Pipe's properties against the Kamelets
 * it names (those on the classpath under kamelets/).
 */
final class KameletSchema {

    private static final Set<String> TYPES = Set.of("source", "action", "sink");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([^}:]+)(:[^}]*)?}}");
    /** Placeholders the Kamelet runtime fills itself. */
    private static final Set<String> BUILT_IN = Set.of("routeId");
    private static volatile JsonSchema kamelet;
    private static volatile JsonSchema pipe;

    private KameletSchema() {
    }

    /** Whether this YAML document is a Kamelet or a Pipe rather than a list of routes. */
    static boolean applies(JsonNode document) {
        return document.isObject() && ("Kamelet".equals(document.path("kind").asText())
                || "Pipe".equals(document.path("kind").asText()));
    }

    /** What is wrong with one Kamelet or Pipe file (named as {@code kamelets/NAME.kamelet.yaml}); empty: nothing. */
    static List<String> problems(String fileName, JsonNode document) {
        boolean isKamelet = "Kamelet".equals(document.path("kind").asText());
        String what = isKamelet ? "Kamelet" : "Pipe";
        List<String> problems = new ArrayList<>(RouteSchema.validate(isKamelet ? kameletSchema() : pipeSchema(),
                document, "does not match the " + what + " schema: "));
        if (!"camel.apache.org/v1".equals(document.path("apiVersion").asText())) {
            problems.add("apiVersion must be camel.apache.org/v1, not '" + document.path("apiVersion").asText() + "'");
        }
        String name = document.path("metadata").path("name").asText();
        if (!NAME.matcher(name).matches()) {
            problems.add("metadata.name '" + name + "' is not a resource name (lower case letters, digits and '-')");
        }
        if (isKamelet) {
            kameletProblems(fileName, name, document, problems);
        } else {
            pipeProblems(document, problems);
        }
        return problems;
    }

    private static void kameletProblems(String fileName, String name, JsonNode kamelet, List<String> problems) {
        String expectedFile = name + ".kamelet.yaml";
        String baseName = fileName == null ? null : fileName.substring(fileName.lastIndexOf('/') + 1);
        if (baseName != null && baseName.endsWith(".kamelet.yaml") && !baseName.equals(expectedFile)) {
            problems.add("a Kamelet named '" + name + "' is looked up as " + expectedFile + ", not " + baseName);
        }
        String type = kamelet.path("metadata").path("labels").path("camel.apache.org/kamelet.type").asText();
        if (!TYPES.contains(type)) {
            problems.add("the label camel.apache.org/kamelet.type must be source, action or sink, not '" + type + "'");
        }
        JsonNode definition = kamelet.path("spec").path("definition");
        for (String field : List.of("title", "description")) {
            if (definition.path(field).asText().isBlank()) {
                problems.add("spec.definition has no " + field);
            }
        }
        JsonNode properties = definition.path("properties");
        properties.fields().forEachRemaining(property -> {
            for (String field : List.of("title", "description", "type")) {
                if (property.getValue().path(field).asText().isBlank()) {
                    problems.add("parameter '" + property.getKey() + "' has no " + field);
                }
            }
            if ("password".equals(property.getValue().path("format").asText())
                    && !property.getValue().path("x-descriptors").toString().contains("urn:camel:group:credentials")) {
                problems.add("parameter '" + property.getKey()
                        + "' is a password without the x-descriptor urn:camel:group:credentials");
            }
        });
        definition.path("required").forEach(required -> {
            if (!properties.has(required.asText())) {
                problems.add("spec.definition requires '" + required.asText() + "', which it does not declare");
            }
        });
        JsonNode template = kamelet.path("spec").path("template");
        if (!template.isObject() || !template.has("from")) {
            problems.add("spec.template has no from");
            return;
        }
        ObjectNode routeTemplate = JsonNodeFactory.instance.objectNode();
        routeTemplate.put("id", name);
        routeTemplate.setAll((ObjectNode) template);
        problems.addAll(RouteSchema.validate(RouteSchema.camelYamlDsl(),
                JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode()
                        .set("routeTemplate", routeTemplate)),
                "spec.template does not match the Camel YAML DSL schema: "));
        Set<String> known = new HashSet<>(BUILT_IN);
        properties.fieldNames().forEachRemaining(known::add);
        template.path("beans").forEach(bean -> known.add(bean.path("name").asText()));
        Matcher placeholder = PLACEHOLDER.matcher(template.toString());
        Set<String> reported = new HashSet<>();
        while (placeholder.find()) {
            String key = placeholder.group(1).trim();
            // a dotted key is a setting of the application the Kamelet runs in
            if (!known.contains(key) && !key.contains(".") && reported.add(key)) {
                problems.add("spec.template uses {{" + key + "}}, which is neither a parameter nor a bean of it");
            }
        }
    }

    private static void pipeProblems(JsonNode pipe, List<String> problems) {
        JsonNode spec = pipe.path("spec");
        List<Map.Entry<String, JsonNode>> ends = new ArrayList<>();
        ends.add(Map.entry("spec.source", spec.path("source")));
        for (int i = 0; i < spec.path("steps").size(); i++) {
            ends.add(Map.entry("spec.steps[" + i + "]", spec.path("steps").get(i)));
        }
        ends.add(Map.entry("spec.sink", spec.path("sink")));
        for (Map.Entry<String, JsonNode> end : ends) {
            JsonNode ref = end.getValue().path("ref");
            if (end.getValue().isMissingNode()) {
                problems.add(end.getKey() + " is missing");
            } else if ("Kamelet".equals(ref.path("kind").asText())) {
                refProblems(end.getKey(), ref.path("name").asText(), end.getValue().path("properties"), problems);
            } else if (ref.isMissingNode() && !end.getValue().has("uri")) {
                problems.add(end.getKey() + " has neither a ref nor a uri");
            }
        }
    }

    private static void refProblems(String where, String name, JsonNode given, List<String> problems) {
        JsonNode definition;
        try (InputStream in = KameletSchema.class.getResourceAsStream("/kamelets/" + name + ".kamelet.yaml")) {
            if (in == null) {
                problems.add(where + " names the Kamelet '" + name + "', which is not on the classpath (kamelets/"
                        + name + ".kamelet.yaml)");
                return;
            }
            definition = RouteSchema.YAML.readTree(in).path("spec").path("definition");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode declared = definition.path("properties");
        for (Iterator<String> keys = given.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!declared.has(key)) {
                problems.add(where + " sets '" + key + "', which the Kamelet " + name + " does not declare"
                        + DidYouMean.among(key, StreamSupport.stream(Spliterators.spliteratorUnknownSize(
                                declared.fieldNames(), 0), false)));
            }
        }
        definition.path("required").forEach(required -> {
            if (!given.has(required.asText()) && !declared.path(required.asText()).has("default")) {
                problems.add(where + " does not set '" + required.asText() + "', which the Kamelet " + name
                        + " requires");
            }
        });
    }

    private static JsonSchema kameletSchema() {
        if (kamelet == null) {
            kamelet = RouteSchema.load("/schema/kamelet.json");
        }
        return kamelet;
    }

    private static JsonSchema pipeSchema() {
        if (pipe == null) {
            pipe = RouteSchema.load("/schema/pipe.json");
        }
        return pipe;
    }
}
