package io.github.chatcallbackrouter.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.chatcallbackrouter.callback.EventHeaders;
import io.github.chatcallbackrouter.support.SettingsContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each app's backend as its settings give it: which words it wants, what its fail policy answers, what is shown. */
class BackendsTest {

    private static final String TWO_APPS = "apps.prod.sdkappid=1400000101;apps.prod.callback-token=p;"
            + "apps.prod.upstream.url=https://prod.example/cb/s3cret-path;"
            + "apps.prod.upstream.commands=C2C.CallbackBeforeSendMsg,State.StateChange;"
            + "apps.prod.upstream.deny-when-down=C2C.CallbackBeforeSendMsg;"
            + "apps.test.sdkappid=1400000102;apps.test.callback-token=t;apps.test.upstream.url=http://test.example/cb;"
            + "apps.test.upstream.commands=*;"
            + "apps.quiet.sdkappid=1400000103;apps.quiet.callback-token=q;upstream.url=";

    private static CamelContext context(String lines) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : lines.split(";")) {
            settings.put(line.substring(0, line.indexOf('=')).trim(), line.substring(line.indexOf('=') + 1).trim());
        }
        return SettingsContext.create("backends-test", "file:application.properties", settings);
    }

    private static Backends backends(String lines) {
        Backends backends = new Backends();
        backends.setCamelContext(context(lines));
        backends.check();
        return backends;
    }

    @ParameterizedTest(name = "app {0}, {1}: relayed {2}, else {3}")
    @CsvSource({
        "prod,  C2C.CallbackBeforeSendMsg,   true,  deny",
        "prod,  State.StateChange,           true,  allow",
        "prod,  Group.CallbackAfterSendMsg,  false, allow",
        "test,  Group.CallbackAfterSendMsg,  true,  allow",
        "test,  Alert.RequestOverLimit,      false, allow",
        "quiet, State.StateChange,           false, allow",
        "none,  State.StateChange,           false, allow",
    })
    void eachAppsBackendWantsItsOwnWordsAndHasItsOwnFailPolicy(String app, String command, boolean relayed,
            String fallback) {
        Backends backends = backends(TWO_APPS);

        assertThat(backends.relays(app, command)).isEqualTo(relayed);
        assertThat(backends.fallbackDecision(app, command)).isEqualTo(fallback);
        Exchange exchange = new DefaultExchange(backends.getCamelContext());
        exchange.getIn().setHeader(EventHeaders.APP, app);
        exchange.getIn().setHeader(EventHeaders.COMMAND, command);
        assertThat(backends.matches(exchange)).as("the routes' predicate").isEqualTo(relayed);
    }

    @Test
    void theStartUpSummaryShowsEachBackendInTheAppsOrderWithoutItsPath() {
        assertThat(backends(TWO_APPS).describe()).containsExactly(
                "app prod's backend: https://prod.example/…, for C2C.CallbackBeforeSendMsg,State.StateChange",
                "app quiet's backend: none",
                "app test's backend: http://test.example/…, for *");
    }

    @Test
    void aBackendsMistakeNamesTheAppsSetting() {
        assertThatThrownBy(() -> backends("apps.a.sdkappid=1400000101;apps.a.callback-token=x;"
                + "apps.a.upstream.url=http://a.example/cb?x=1"))
                .hasMessageContaining("apps.a.upstream.url: 'http://a.example/…' has a query");
        assertThatThrownBy(() -> backends("apps.a.sdkappid=1400000101;apps.a.callback-token=x;"
                + "apps.a.upstream.url=https://user:pw@a.example/cb"))
                .hasMessageContaining("apps.a.upstream.url: 'https://a.example/…' carries credentials")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> new Backends().setKeep("disc"))
                .hasMessage("upstream.after.keep: 'disc' is not disk or memory");
    }
}
