package io.github.chatcallbackrouter.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.chatcallbackrouter.callback.CallbackSamples;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.RouteFiles;
import io.github.chatcallbackrouter.support.SettingsContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * The rule tests: {@code tests/*.yaml} beside the route files, each a list of cases that say what one callback
 * must do. {@code validate} and live reload run them, so a rule change that breaks one is refused, naming the case
 * and what differed. A case:
 *
 * <pre>
 * - name: an over-limit alarm pages and is recorded
 *   command: Alert.RequestOverLimit
 *   body: {ServiceName: openim, Command: batchsendmsg, Request: 510, Limit: 200}   # or bodyFile: x.json;
 *   sdkappid: "1400000000"            # optional                               # none: Tencent's sample
 *   headers: {MyHeader: x}            # optional: set where the rules see the event
 *   expect:                           # each optional
 *     rule: 1                         # its position, its id, or otherwise
 *     deliveries: [slack, alert-file] # labels, in any order; [] for none
 *     severity: critical
 *     answer: OK                      # or the fields Chat's answer must have: {ErrorCode: 10100}
 * </pre>
 *
 * The cases run without the apps' backends (their upstream.url empty) and without silences, and a channel that has no
 * URL here still counts as a delivery, so the tests say the same on every machine.
 */
public final class RuleTests {

    /** How many cases ran, and one line per case that failed (none: all passed). */
    public record Result(int cases, List<String> problems) {
    }

    private record Case(String file, String name, String command, String sdkAppId, String body,
                        Map<String, String> headers, JsonNode expect) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> CASE_KEYS = Set.of("name", "command", "sdkappid", "body", "bodyFile", "headers",
            "expect");
    private static final Set<String> EXPECT_KEYS = Set.of("rule", "deliveries", "severity", "answer");

    private RuleTests() {
    }

    /** Runs every case of the tests directory beside the first pattern's route files (none there: nothing to run). */
    public static Result run(String propertiesLocation, String routesPattern, Map<String, String> overrides) {
        Set<String> problems = new LinkedHashSet<>();
        List<Case> cases = new ArrayList<>();
        String tests = RouteFiles.firstDirectory(routesPattern) + "/tests";
        if (tests.startsWith("file:") && !Files.isDirectory(Path.of(tests.substring("file:".length())))) {
            return new Result(0, List.of());
        }
        CamelContext context = SettingsContext.create("rule-tests", propertiesLocation, overrides);
        for (Resource file : RouteFiles.find(context, tests + "/*.yaml")) {
            cases.addAll(read(context, file, problems));
        }
        if (cases.isEmpty()) {
            return new Result(0, List.copyOf(problems));
        }
        Map<String, String> settings = new HashMap<>(overrides);
        // without the apps' backends: what the rules do, not what a backend answers
        settings.put("upstream.url", "");
        context.getPropertiesComponent().loadProperties(key -> key.startsWith("apps.") && key.endsWith(".upstream.url"))
                .keySet().forEach(key -> settings.put(key.toString(), ""));
        settings.put("tencent.sdkappid", sdkAppIds(context, cases));
        try (Explainer explainer = new Explainer(propertiesLocation, routesPattern, settings, false)) {
            for (Case test : cases) {
                Explanation explanation = explainer.explain(
                        new Explainer.Callback(test.command(), test.sdkAppId(), test.body(), test.headers()));
                differences(test.expect(), explanation).forEach(difference ->
                        problems.add(test.file() + ": case '" + test.name() + "': " + difference));
            }
        } catch (Exception e) {
            problems.add(tests.replaceFirst("^\\w+:", "") + ": the rule tests could not run: " + e.getMessage());
        }
        return new Result(cases.size(), List.copyOf(problems));
    }

    /** What the explanation does otherwise than the case expects, one line each. */
    static List<String> differences(JsonNode expect, Explanation explanation) {
        List<String> differences = new ArrayList<>(explanation.problems());
        RuleMatch rule = explanation.rule();
        if (expect.has("rule") && !ruleIs(expect.get("rule"), rule)) {
            differences.add("rule: expected " + expect.get("rule").asText() + ", got "
                    + (rule == null ? "none (the callback never reached the rules)" : rule.describe()));
        }
        if (expect.has("severity")
                && !expect.get("severity").asText().equals(Objects.requireNonNullElse(explanation.severity(), "none"))) {
            differences.add("severity: expected " + expect.get("severity").asText() + ", got "
                    + Objects.requireNonNullElse(explanation.severity(), "none (not an alarm)"));
        }
        if (expect.has("deliveries")) {
            List<String> expected = new ArrayList<>();
            expect.get("deliveries").forEach(label -> expected.add(label.asText()));
            List<String> got = new ArrayList<>(explanation.places().stream().map(Place::label).toList());
            expected.sort(null);
            got.sort(null);
            if (!expected.equals(got)) {
                differences.add("deliveries: expected " + expected + ", got " + got);
            }
        }
        if (expect.has("answer") && !answerIs(expect.get("answer"), explanation.answer())) {
            differences.add("answer: expected " + expect.get("answer") + ", got HTTP " + explanation.status() + " "
                    + explanation.answer());
        }
        return differences;
    }

    private static boolean ruleIs(JsonNode expected, RuleMatch got) {
        if (got == null) {
            return false;
        }
        if (expected.isInt()) {
            return got.position() == expected.asInt();
        }
        return expected.asText().equals("otherwise") ? got.isOtherwise() : expected.asText().equals(got.id());
    }

    /** "OK" is Chat's plain OK; fields are each compared with the answer's. */
    private static boolean answerIs(JsonNode expected, String answer) {
        JsonNode got;
        try {
            got = Json.MAPPER.readTree(answer);
        } catch (IOException e) {
            return false;
        }
        if (expected.isTextual()) {
            return expected.asText().equals(got.path("ActionStatus").asText())
                    && (!expected.asText().equals("OK") || got.path("ErrorCode").asInt(-1) == 0);
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = expected.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = got.get(field.getKey());
            boolean same = value != null && (field.getValue().isValueNode()
                    ? field.getValue().asText().equals(value.asText()) : field.getValue().equals(value));
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static List<Case> read(CamelContext context, Resource file, Set<String> problems) {
        String name = RouteFiles.name(file);
        List<Case> cases = new ArrayList<>();
        JsonNode root;
        try (InputStream in = file.getInputStream()) {
            root = YAML.readTree(in);
        } catch (IOException e) {
            problems.add(name + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""));
            return cases;
        }
        if (root == null || !root.isArray()) {
            problems.add(name + ": a list of cases, each with command and expect");
            return cases;
        }
        int number = 0;
        for (JsonNode item : root) {
            number++;
            String title = item.path("name").asText("case " + number);
            String where = name + ": case '" + title + "': ";
            List<String> wrong = new ArrayList<>();
            item.fieldNames().forEachRemaining(key -> {
                if (!CASE_KEYS.contains(key)) {
                    wrong.add(where + "unknown key " + key + " (known: " + String.join(", ", sorted(CASE_KEYS)) + ")");
                }
            });
            item.path("expect").fieldNames().forEachRemaining(key -> {
                if (!EXPECT_KEYS.contains(key)) {
                    wrong.add(where + "unknown expectation " + key + " (known: " + String.join(", ",
                            sorted(EXPECT_KEYS)) + ")");
                }
            });
            if (!item.path("command").isTextual()) {
                wrong.add(where + "command is missing: the command word, e.g. Alert.RequestOverLimit");
            }
            if (!item.path("expect").isObject()) {
                wrong.add(where + "expect is missing: what the callback must do (rule, deliveries, severity, answer)");
            }
            String body = wrong.isEmpty() ? body(context, file, item, where, wrong) : null;
            if (!wrong.isEmpty()) {
                problems.addAll(wrong);
                continue;
            }
            Map<String, String> headers = new HashMap<>();
            item.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            cases.add(new Case(name, title, item.get("command").asText(),
                    item.hasNonNull("sdkappid") ? item.get("sdkappid").asText() : null, body, headers,
                    item.get("expect")));
        }
        return cases;
    }

    /** The case's body: inline (YAML or JSON text), a file beside the test file, or Tencent's sample. */
    private static String body(CamelContext context, Resource file, JsonNode item, String where, List<String> wrong) {
        if (item.has("bodyFile")) {
            String location = file.getLocation().substring(0, file.getLocation().lastIndexOf('/') + 1)
                    + item.get("bodyFile").asText();
            Resource body = PluginHelper.getResourceLoader(context).resolveResource(location);
            try (InputStream in = body.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                wrong.add(where + "bodyFile " + item.get("bodyFile").asText() + " cannot be read: " + e.getMessage());
                return null;
            }
        }
        JsonNode body = item.get("body");
        if (body == null) {
            return CallbackSamples.body(item.get("command").asText());
        }
        return body.isTextual() ? body.asText() : body.toString();
    }

    /** The configured SDKAppIDs and those the cases name, so each case is accepted. */
    private static String sdkAppIds(CamelContext context, List<Case> cases) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : context.resolvePropertyPlaceholders("{{tencent.sdkappid}}").split(",")) {
            ids.add(id.trim());
        }
        cases.stream().map(Case::sdkAppId).filter(Objects::nonNull).forEach(ids::add);
        return String.join(",", ids);
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }
}
