package io.github.chatcallbackrouter.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.chatcallbackrouter.support.SettingsContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Apps as the settings declare them, each falling back to the global settings; each mistake one line naming it. */
class AppsTest {

    private static Apps apps(String lines) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : lines.split(";")) {
            if (!line.isBlank()) {
                settings.put(line.substring(0, line.indexOf('=')).trim(), line.substring(line.indexOf('=') + 1).trim());
            }
        }
        Apps apps = new Apps();
        apps.setCamelContext(SettingsContext.create("apps-test", "file:application.properties", settings));
        return apps;
    }

    @Test
    void withNoAppDeclaredEachSdkAppIdIsAnAppWithTheGlobalSettings() {
        Apps apps = apps("tencent.sdkappid=1400000001,1400000002;tencent.callback-token=t0k;upstream.url=http://b/cb");
        apps.check();

        assertThat(apps.all()).extracting(Apps.App::name).containsExactly("1400000001", "1400000002");
        assertThat(apps.bySdkAppId("1400000002").orElseThrow().token()).isEqualTo("t0k");
        assertThat(apps.bySdkAppId("1400000002").orElseThrow().setting("upstream.url")).isEqualTo("http://b/cb");
        assertThat(apps.label("1400009999")).isEqualTo("unknown");
    }

    @Test
    void aDeclaredAppTakesWhatItDoesNotSetFromTheGlobalSettings() {
        Apps apps = apps("apps.prod.sdkappid=1400000101;apps.prod.callback-token=p;apps.prod.alerts.channels=ops;"
                + "apps.test.sdkappid=1400000102;tencent.callback-token=global;upstream.commands=State.StateChange");
        apps.check();

        Apps.App test = apps.byName("test").orElseThrow();
        assertThat(test.token()).isEqualTo("global");
        assertThat(test.setting("alerts.channels")).isEqualTo("slack");
        assertThat(test.setting("upstream.commands")).isEqualTo("State.StateChange");
        assertThat(apps.byName("prod").orElseThrow().setting("alerts.channels")).isEqualTo("ops");
        assertThat(apps.bySdkAppId("1400000001")).as("tencent.sdkappid is not read when apps are declared").isEmpty();
        assertThat(apps.byName("prod").orElseThrow().toString()).doesNotContain("p]").contains("signature check on");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "apps.a.sdkappid=1400000101;apps.a.callback-token=x;apps.b.sdkappid=1400000101;apps.b.callback-token=y | apps.b.sdkappid = 1400000101 is app a's SDKAppID too",
        "apps.a.sdkappid=1400000101 | apps.a.callback-token is missing (and tencent.callback-token is empty)",
        "apps.a.callback-token=x | apps.a.sdkappid is missing",
        "apps.a.sdkappid=14000x;apps.a.callback-token=x | apps.a.sdkappid: '14000x' is not an SDKAppID",
        "apps.a.sdkappid=1400000101;apps.a.callback-token=x;apps.a.upstream.ur=http://b | apps.a.upstream.ur: an app has no setting 'upstream.ur' (did you mean upstream.url?)",
        "apps.Prod.sdkappid=1400000101 | apps.Prod.sdkappid: not an app setting",
    })
    void eachMistakeIsOneLineNamingTheSetting(String lines, String problem) {
        assertThatThrownBy(() -> apps(lines).check()).hasMessageContaining(problem);
    }
}
