package io.github.chatcallbackrouter.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.callback.CallbackEvent;
import org.junit.jupiter.api.Test;

class AlertClassifierTest {

    private final AlertClassifier classifier = new AlertClassifier();

    private static CallbackEvent event(String command, String body) throws Exception {
        JsonNode payload = Json.MAPPER.readTree(body);
        return new CallbackEvent("e-1", "1400000001", command, "after", "RESTAPI", null,
                "2026-11-26T10:00:00Z", payload, "1400000001", null);
    }

    private Alert overLimit(String serviceName, String command, Object request, Object limit) throws Exception {
        String body = "{\"CallbackCommand\":\"Alert.RequestOverLimit\",\"ServiceName\":\"" + serviceName
                + "\",\"Command\":\"" + command + "\",\"Request\":" + request + ",\"Limit\":" + limit + "}";
        return classifier.classify(event("Alert.RequestOverLimit", body)).orElseThrow();
    }

    @Test
    void enrichesTheDocumentedSampleFromTheCatalog() throws Exception {
        Alert alert = classifier.classify(event("Alert.RequestOverLimit", Samples.body("Alert.RequestOverLimit")))
                .orElseThrow();

        assertThat(alert.type()).isEqualTo("api-over-limit");
        assertThat(alert.api()).isEqualTo("openim/batchsendmsg");
        assertThat(alert.apiName()).isEqualTo("Sends one-to-one messages to multiple users");
        assertThat(alert.documentedLimit()).isEqualTo("200/s");
        assertThat(alert.observed()).isEqualTo(510);
        assertThat(alert.limit()).isEqualTo(200);
        assertThat(alert.usagePercent()).isEqualTo(255.0);
        assertThat(alert.severity()).isEqualTo("critical");
        assertThat(alert.groupKey()).isEqualTo("[\"1400000001\",\"openim\",\"batchsendmsg\"]");
        assertThat(alert.title()).isEqualTo("Over its rate limit: Sends one-to-one messages to multiple users at 255%");
    }

    @Test
    void underTheLimitIsAWarningAndFromTheLimitOnCritical() throws Exception {
        assertThat(overLimit("openim", "sendmsg", 160, 200).severity()).isEqualTo("warning");
        assertThat(overLimit("openim", "sendmsg", 199, 200).severity()).isEqualTo("warning");
        assertThat(overLimit("openim", "sendmsg", 200, 200).severity()).isEqualTo("critical");
        assertThat(overLimit("openim", "sendmsg", 160, 200).usagePercent()).isEqualTo(80.0);
        assertThat(overLimit("open_msg_svc", "get_history", 9, 10).usagePercent()).isEqualTo(90.0);
    }

    @Test
    void knowsTheApisWithTheirOwnLimits() throws Exception {
        Alert history = overLimit("open_msg_svc", "get_history", 9, 10);
        assertThat(history.apiName()).isEqualTo("Downloads recent messages");
        assertThat(history.documentedLimit()).isEqualTo("10/s");
        assertThat(ApiCatalog.get().find("im_open_login_svc", "account_check").orElseThrow().qpsLimit())
                .isEqualTo(100);
        assertThat(ApiCatalog.get().size()).isEqualTo(102);
    }

    @Test
    void anApiMissingFromTheCatalogIsStillAnAlert() throws Exception {
        Alert alert = overLimit("new_svc", "new_api", 250, 200);

        assertThat(alert.api()).isEqualTo("new_svc/new_api");
        assertThat(alert.apiName()).isNull();
        assertThat(alert.severity()).isEqualTo("critical");
        assertThat(alert.title()).isEqualTo("Over its rate limit: new_svc/new_api at 125%");
    }

    @Test
    void numbersSentAsStringsCountAndMissingNumbersMeanUnknownUsage() throws Exception {
        assertThat(overLimit("openim", "sendmsg", "\"170\"", "\"200\"").usagePercent()).isEqualTo(85.0);

        Alert unknown = overLimit("openim", "sendmsg", "null", "0");
        assertThat(unknown.usagePercent()).isNull();
        assertThat(unknown.severity()).as("unknown usage is treated as the worse case").isEqualTo("critical");
    }

    @Test
    void dailyGroupQuotaAlarmIsAnAlertToo() throws Exception {
        Alert alert = classifier.classify(event("Group.CallbackOnDailyGroupQuotaAlarm",
                Samples.body("Group.CallbackOnDailyGroupQuotaAlarm"))).orElseThrow();

        assertThat(alert.type()).isEqualTo("daily-group-quota");
        assertThat(alert.observed()).isEqualTo(7321);
        assertThat(alert.limit()).isEqualTo(10000);
        assertThat(alert.usagePercent()).isEqualTo(73.2);
        assertThat(alert.severity()).isEqualTo("warning");
        assertThat(alert.unit()).isEqualTo("groups/day");
    }

    @Test
    void otherCallbacksAreNotAlerts() throws Exception {
        assertThat(classifier.classify(event("C2C.CallbackBeforeSendMsg", Samples.body("C2C.CallbackBeforeSendMsg"))))
                .isEmpty();
        assertThat(classifier.classify(event("Group.CallbackSendMsgException",
                Samples.body("Group.CallbackSendMsgException")))).isEmpty();
    }

    @Test
    void noTwoApisShareAGroupKeyOrAGroupFile() throws Exception {
        Alert underscoreInService = overLimit("openim_x", "y", 300, 200);
        Alert underscoreInCommand = overLimit("openim", "x_y", 300, 200);
        Alert barInService = overLimit("a|b", "c", 300, 200);
        Alert barInCommand = overLimit("a", "b|c", 300, 200);

        assertThat(java.util.Set.of(underscoreInService.groupKey(), underscoreInCommand.groupKey(),
                barInService.groupKey(), barInCommand.groupKey())).hasSize(4);
        assertThat(java.util.Set.of(AlertGrouper.idOf(underscoreInService.groupKey()),
                AlertGrouper.idOf(underscoreInCommand.groupKey()))).hasSize(2);
        assertThat(AlertGrouper.idOf(overLimit("s".repeat(5000), "c/../../etc", 300, 200).groupKey()))
                .matches("group-[0-9a-f]{64}");
    }

    @Test
    void numbersAreNeverWrapped() throws Exception {
        Alert huge = overLimit("openim", "sendmsg", "18446744073709551617", 200);
        Alert negative = overLimit("openim", "sendmsg", -5, 200);
        Alert atLongMax = overLimit("openim", "sendmsg", "9223372036854775807", 200);
        Alert overLongMax = overLimit("openim", "sendmsg", "9223372036854775808", 200);

        assertThat(huge.observed()).isNull();
        assertThat(huge.usagePercent()).isNull();
        assertThat(huge.severity()).isEqualTo("critical");
        assertThat(huge.numberProblem()).isEqualTo("Request is 18446744073709551617: outside 0 to 9223372036854775807");
        assertThat(negative.severity()).isEqualTo("critical");
        assertThat(negative.numberProblem()).startsWith("Request is -5");
        assertThat(atLongMax.usagePercent()).isPositive();
        assertThat(atLongMax.numberProblem()).isNull();
        assertThat(overLongMax.usagePercent()).isNull();
        assertThat(overLongMax.severity()).isEqualTo("critical");
    }
}
