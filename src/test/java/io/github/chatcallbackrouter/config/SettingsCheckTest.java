package io.github.chatcallbackrouter.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.support.SettingsContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each mistake an operator makes in a setting is one problem naming the setting, its value and what it should
 * be: a value of the wrong kind, a key of ours that is not declared, a Camel option Camel does not have.
 */
class SettingsCheckTest {

    @TempDir
    Path directory;

    @Test
    void theShippedSettingsHaveNoProblem() throws Exception {
        assertThat(problems("")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "alerts.group-window = five | alerts.group-window = 'five' is not a duration with its unit such as 30s or 5m, or 0",
        "slack.retry.max-delay = 5 | slack.retry.max-delay = '5' is not a duration above 0 with its unit, such as 500ms, 30s, 5m or 1h",
        "router.reload-routes = yes | router.reload-routes = 'yes' is not one of true, false",
        "camel.component.http.connect-timeout = abc | camel.component.http.connect-timeout = 'abc' is not a whole number of milliseconds, 1 or more",
        "camel.component.seda.queue-size = -5 | camel.component.seda.queue-size = '-5' is not a whole number, 1 or more",
        "upstream.budget-ms = 2500 | upstream.budget-ms = '2500' is not a whole number of milliseconds from 1 to 1800",
        "camel.server.port = 70000 | camel.server.port = '70000' is not a port number, 0 to 65535",
        "router.mode = cluster | router.mode = 'cluster' is not one of local, kafka",
        "upstream.url = backend:8080 | upstream.url = 'backend:8080' is not an http(s) URL, or empty",
        "upstream.url = https://me:pa55@backend/im/cb | upstream.url = 'https://backend/…' carries credentials (user:password@), which would be printed and stored wherever the URL is; give them in a secret setting of their own (upstream.authorization for the app's backend)",
        "slack.webhook-url = hooks.slack.com/services/T0/B0/secret | slack.webhook-url (secret, not shown) is not an http(s) URL, or empty",
        "tencent.sdkappid = 14000x | tencent.sdkappid = '14000x' is not whole numbers, comma separated",
        "slack.min-interval = 5 | slack.min-interval is not a setting of the router (did you mean slack.min-interval-ms?)",
        "slak.webhook-url = https://hooks.slack.com/x | slak.webhook-url is neither a setting of the router nor used by a route file, so nothing reads it (did you mean slack.webhook-url?)",
        "router.tls.cert-file = pom.xml | router.tls.cert-file and router.tls.key-file go together: give both, or neither",
        "router.tls.client-ca-file = pom.xml | router.tls.client-ca-file needs HTTPS: give router.tls.cert-file and router.tls.key-file (or router.tls.keystore-file) too",
        "apps.prod.sdkappid = 1400000101 | apps.prod.callback-token is missing (and tencent.callback-token is empty): each app's callbacks are signed with the token its webhook authentication has in Chat's console; set it, with {{env:...}}",
        "my.own.threshold = 5 | my.own.threshold is neither a setting of the router nor used by a route file, so nothing reads it",
        "camel.main.shutdown-timout = 5 | camel.main.shutdown-timout is not an option Camel knows, so it would be ignored or stop the start (did you mean camel.main.shutdown-timeout?)",
        "camel.component.http.connect-timeot = 5 | camel.component.http.connect-timeot is not an option Camel knows, so it would be ignored or stop the start (did you mean camel.component.http.connect-timeout?)",
    })
    void eachMistakeIsOneProblemNamingTheSetting(String line, String problem) throws Exception {
        assertThat(problems(line)).containsExactly("application.properties: " + problem);
    }

    @Test
    void optionsCamelHasAndNamedChannelsAreNoProblem() throws Exception {
        assertThat(problems("camel.main.jmx-enabled = false\ncamel.component.http.max-total-connections = 50\n"
                + "slack.channels.oncall.webhook-url = https://hooks.slack.com/services/T0/B0/x\n"
                + "channels.ops.type = dingtalk")).isEmpty();
    }

    @Test
    void aKeyARouteFileReadsIsNoProblem() throws Exception {
        Path routes = Files.createDirectories(directory.resolve("routes"));
        Files.writeString(routes.resolve("mine.camel.yaml"), "- route:\n    from:\n      uri: direct:mine\n"
                + "      steps:\n        - log: \"over {{my.own.threshold:5}}\"\n");

        assertThat(problems("my.own.threshold = 7\ncamel.main.routes-include-pattern = file:" + routes
                + "/*.camel.yaml")).isEmpty();
    }

    @Test
    void theServerAndManagementPortsMustDiffer() throws Exception {
        assertThat(problems("camel.management.port = 8080")).containsExactly("application.properties:"
                + " camel.server.port and camel.management.port are both 8080; the management endpoints need a port"
                + " of their own");
    }

    /** The shipped settings with the line given replacing the key's own (or added), checked. */
    private List<String> problems(String line) throws Exception {
        String shipped = Files.readString(Path.of("application.properties"));
        String key = line.contains("=") ? line.substring(0, line.indexOf('=')).strip() : "";
        String settings = shipped.lines().filter(l -> key.isEmpty() || !l.startsWith(key + " ="))
                .reduce("", (a, b) -> a + b + "\n") + line + "\n";
        Path file = Files.writeString(directory.resolve("application.properties"), settings);
        return SettingsCheck.problems(SettingsContext.create("test", "file:" + file, Map.of()),
                "application.properties");
    }
}
