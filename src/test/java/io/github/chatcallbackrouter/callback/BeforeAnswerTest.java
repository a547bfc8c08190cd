package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.support.Json;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each decision, for each kind of Before-callback, as the answer Tencent documents for that command word. */
class BeforeAnswerTest {

    static Stream<Arguments> decisions() {
        String c2c = "C2C.CallbackBeforeSendMsg";
        String group = "Group.CallbackBeforeSendMsg";
        String create = "Group.CallbackBeforeCreateGroup";
        String friend = "Sns.CallbackPrevFriendAdd";
        String replacement = "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"***\"}}]";
        return Stream.of(
                Arguments.of("nobody decided", c2c, Map.of(), "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}"),
                Arguments.of("allow", group, Map.of("ChatDecision", "allow"),
                        "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}"),
                Arguments.of("deny", c2c, Map.of("ChatDecision", "deny"),
                        "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":1}"),
                Arguments.of("deny, custom code in range", c2c, Map.of("ChatDecision", "deny",
                        "ChatDecisionCode", 120005, "ChatDecisionInfo", "no links"),
                        "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"no links\",\"ErrorCode\":120005}"),
                Arguments.of("deny, code of another command's range", group, Map.of("ChatDecision", "deny",
                        "ChatDecisionCode", 120005), "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":1}"),
                Arguments.of("deny a group type", create, Map.of("ChatDecision", "DENY", "ChatDecisionCode", 10100,
                        "ChatDecisionInfo", "no"), "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"no\",\"ErrorCode\":10100}"),
                Arguments.of("drop", group, Map.of("ChatDecision", "drop"),
                        "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":2}"),
                Arguments.of("drop where Chat cannot: denied", create, Map.of("ChatDecision", "drop"),
                        "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":1}"),
                Arguments.of("replace", c2c, Map.of("ChatDecision", "replace", "ChatMsgBody", replacement),
                        "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0,\"MsgBody\":" + replacement + "}"),
                Arguments.of("replace where Chat cannot: allowed", create, Map.of("ChatDecision", "replace",
                        "ChatMsgBody", replacement), "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}"),
                Arguments.of("deny a friend request: per target", friend, Map.of("ChatDecision", "deny",
                        "ChatDecisionInfo", "not now"), "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0,"
                        + "\"ResultItem\":[{\"To_Account\":\"lyla\",\"ResultCode\":38000,\"ResultInfo\":\"not now\"}]}"),
                Arguments.of("the backend's answer, as it was", c2c, Map.of("ChatDecision", "upstream",
                        "ChatDecidedBy", "upstream", "ChatUpstreamAnswer", "{ \"ErrorCode\" : 7 , \"x\":1}"),
                        "{ \"ErrorCode\" : 7 , \"x\":1}"),
                Arguments.of("not a decision: allowed", c2c, Map.of("ChatDecision", "maybe"),
                        "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void answersAsTencentDocumentsForTheCommand(String name, String command, Map<String, Object> headers,
                                                String expected) throws Exception {
        String body = Samples.body(command) != null ? Samples.body(command)
                : "{\"FriendItem\":[{\"To_Account\":\"lyla\"}]}";
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(new CallbackEvent("e", "1400000001", command, "before", null, null,
                "2026-12-01T00:00:00Z", Json.MAPPER.readTree(body), "1400000001", null));
        exchange.getIn().setHeader(EventHeaders.COMMAND, command);
        headers.forEach(exchange.getIn()::setHeader);

        new BeforeAnswer().process(exchange);

        assertThat(exchange.getProperty(BeforeAnswer.ANSWER, String.class)).isEqualTo(expected);
    }
}
