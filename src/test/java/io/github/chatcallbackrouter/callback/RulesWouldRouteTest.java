package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import io.github.chatcallbackrouter.LogCapture;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hand-off asks the rules as they are now whether they would send an event anywhere. */
class RulesWouldRouteTest {

    private final CamelContext context = new DefaultCamelContext();
    private final RulesWouldRoute wouldRoute = new RulesWouldRoute();

    @BeforeEach
    void start() {
        context.start();
        wouldRoute.setCamelContext(context);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void onlyWhatARuleMatchesIsHandedOffWhenOtherwiseStops() throws Exception {
        rules("rules-1", "State.StateChange", false);

        assertThat(wouldRoute.matches(event("State.StateChange"))).isTrue();
        assertThat(wouldRoute.matches(event("Group.CallbackAfterNewMemberJoin"))).isFalse();
    }

    @Test
    void everythingIsHandedOffWhenOtherwiseDoesSomething() throws Exception {
        rules("rules-1", "State.StateChange", true);

        assertThat(wouldRoute.matches(event("Group.CallbackAfterNewMemberJoin"))).isTrue();
    }

    @Test
    void reloadedRulesAreAskedFromTheNextEventOn() throws Exception {
        rules("rules-1", "State.StateChange", false);
        assertThat(wouldRoute.matches(event("Group.CallbackAfterNewMemberJoin"))).isFalse();

        context.getRouteController().stopRoute("rules-1");
        context.removeRoute("rules-1");
        rules("rules-2", "Group.CallbackAfterNewMemberJoin", false);

        assertThat(wouldRoute.matches(event("Group.CallbackAfterNewMemberJoin"))).isTrue();
        assertThat(wouldRoute.matches(event("State.StateChange"))).isFalse();
    }

    @Test
    void aStepBesideTheChoiceHandsOffEverythingAndSaysSo() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:rules").routeId("rules-logged").log("a rule editor's log line")
                            .choice().when(header(EventHeaders.COMMAND).isEqualTo("State.StateChange")).to("log:matched")
                            .otherwise().stop();
                }
            });

            assertThat(wouldRoute.matches(event("Group.CallbackAfterNewMemberJoin"))).isTrue();
            assertThat(logs.lines()).anyMatch(line -> line.startsWith("WARN The rules route rules-logged has steps"
                    + " beside its choice: every callback is handed off"));
        }
    }

    @Test
    void withoutARulesRouteEverythingIsHandedOff() {
        assertThat(wouldRoute.matches(event("State.StateChange"))).isTrue();
    }

    private void rules(String id, String command, boolean otherwiseActs) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                var choice = from("direct:rules").routeId(id).choice()
                        .when(header(EventHeaders.COMMAND).isEqualTo(command)).to("log:matched")
                        .otherwise();
                if (otherwiseActs) {
                    choice.to("log:rest");
                } else {
                    choice.stop();
                }
            }
        });
    }

    private Exchange event(String command) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setHeader(EventHeaders.COMMAND, command);
        return exchange;
    }
}
