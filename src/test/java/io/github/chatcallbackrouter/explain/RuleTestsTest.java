package io.github.chatcallbackrouter.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.ShippedRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cases in routes/tests/: the shipped ones pass; a case that no longer holds is named with what differed. */
class RuleTestsTest {

    @TempDir
    Path workDir;

    @Test
    void theShippedRuleTestsPass() throws Exception {
        Path routes = ShippedRoutes.copyInto(workDir);

        RuleTests.Result result = run(routes);

        assertThat(result.problems()).isEmpty();
        assertThat(result.cases()).isEqualTo(6);
    }

    @Test
    void eachCaseThatDoesNotHoldIsNamedWithWhatDiffered() throws Exception {
        Path routes = ShippedRoutes.copyInto(workDir);
        Files.writeString(routes.resolve("tests/mine.yaml"), """
                - name: alarms go to the on-call channel
                  command: Alert.RequestOverLimit
                  expect:
                    rule: 1
                    deliveries: [slack:oncall, alert-file]
                    severity: warning
                - name: a group over quota is refused
                  command: Group.CallbackBeforeCreateGroup
                  body: {CallbackCommand: Group.CallbackBeforeCreateGroup, Type: AVChatRoom}
                  expect:
                    answer: {ErrorCode: 10100}
                - name: state changes are kept
                  command: State.StateChange
                  sdkappid: "1400000042"
                  expect:
                    rule: keep-states
                - name: a typo
                  command: State.StateChange
                  expected:
                    rule: 1
                """);

        RuleTests.Result result = run(routes);

        String file = routes.resolve("tests/mine.yaml").toString();
        assertThat(result.problems()).containsExactlyInAnyOrder(
                file + ": case 'a typo': unknown key expected (known: body, bodyFile, command, expect, headers, name,"
                        + " sdkappid)",
                file + ": case 'a typo': expect is missing: what the callback must do (rule, deliveries, severity,"
                        + " answer)",
                file + ": case 'alarms go to the on-call channel': deliveries: expected [alert-file, slack:oncall],"
                        + " got [alert-file, slack]",
                file + ": case 'alarms go to the on-call channel': severity: expected warning, got critical",
                file + ": case 'a group over quota is refused': answer: expected {\"ErrorCode\":10100}, got HTTP 200"
                        + " {\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}",
                file + ": case 'state changes are kept': rule: expected keep-states, got otherwise (no rule matched)");
        assertThat(result.cases()).isEqualTo(9);
    }

    @Test
    void aCaseSeesTheHeadersItSetsAndTheDecisionSettings() throws Exception {
        Path routes = ShippedRoutes.copyInto(workDir);
        Files.writeString(routes.resolve("tests/mine.yaml"), """
                - name: a chat room is refused with the app's own code
                  command: Group.CallbackBeforeCreateGroup
                  body: {CallbackCommand: Group.CallbackBeforeCreateGroup, Type: AVChatRoom}
                  expect:
                    answer: {ActionStatus: OK, ErrorCode: 10100}
                """);

        RuleTests.Result result = RuleTests.run("file:application.properties", ShippedRoutes.includePattern(routes),
                Map.of("router.data-dir", workDir.resolve("data").toString(),
                        "decide.refused-group-types", "AVChatRoom"));

        assertThat(result.problems()).isEmpty();
        assertThat(workDir.resolve("data")).doesNotExist();
    }

    private RuleTests.Result run(Path routes) {
        return RuleTests.run("file:application.properties", ShippedRoutes.includePattern(routes),
                Map.of("router.data-dir", workDir.resolve("data").toString()));
    }
}
