package io.github.chatcallbackrouter.callback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.chatcallbackrouter.FakeReceivers;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import io.github.chatcallbackrouter.observe.Scrape;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One router for two Chat apps (apps.prod.*, apps.staging.*), each with its own SDKAppID, token, backend and alert
 * channel: each app's callbacks pass only with its own token, reach only its own backend, and its alarms only its
 * own channel; a backend that hangs holds up only its own app's Before-callbacks.
 */
class TwoAppsIT {

    private static final String PROD = "1400000101";
    private static final String STAGING = "1400000102";
    private static final String PROD_TOKEN = "prod-token-0001";
    private static final String STAGING_TOKEN = "staging-token-0002";
    private static final String ALLOW = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";

    @TempDir
    static Path dataDir;
    static WireMockServer prodBackend = new WireMockServer(options().dynamicPort());
    static WireMockServer stagingBackend = new WireMockServer(options().dynamicPort());
    static FakeReceivers pagers;
    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        prodBackend.start();
        stagingBackend.start();
        prodBackend.stubFor(post(urlPathEqualTo("/prod")).willReturn(aResponse().withStatus(200).withBody(ALLOW)));
        // the staging backend hangs: every Before-callback for it waits its whole budget
        stagingBackend.stubFor(post(urlPathEqualTo("/staging")).willReturn(aResponse().withStatus(200)
                .withBody(ALLOW).withFixedDelay(5000)));
        pagers = new FakeReceivers();
        Map<String, String> settings = new HashMap<>();
        settings.put("apps.prod.sdkappid", PROD);
        settings.put("apps.prod.callback-token", PROD_TOKEN);
        settings.put("apps.prod.upstream.url", prodBackend.baseUrl() + "/prod");
        settings.put("apps.prod.alerts.channels", "prod-robot");
        settings.put("apps.staging.sdkappid", STAGING);
        settings.put("apps.staging.callback-token", STAGING_TOKEN);
        settings.put("apps.staging.upstream.url", stagingBackend.baseUrl() + "/staging");
        settings.put("apps.staging.upstream.budget-ms", "1000");
        settings.put("apps.staging.alerts.channels", "staging-robot");
        settings.put("channels.prod-robot.type", "wecom");
        settings.put("channels.prod-robot.url", pagers.url("/cgi-bin/webhook/send?key=prod"));
        settings.put("channels.staging-robot.type", "dingtalk");
        settings.put("channels.staging-robot.url", pagers.url("/robot/send?access_token=staging"));
        settings.put("channels.staging-robot.secret", FakeReceivers.DINGTALK_SECRET);
        settings.put("alerts.group-window", "0");
        router = RunningRouter.start(dataDir, "", settings);
    }

    @AfterAll
    static void stop() {
        router.close();
        prodBackend.stop();
        stagingBackend.stop();
        pagers.close();
    }

    private static HttpResponse<String> callback(String sdkAppId, String token, String command, String body)
            throws Exception {
        String time = String.valueOf(Instant.now().getEpochSecond());
        return router.send(HttpRequest.newBuilder(URI.create(router.url("SdkAppid=" + sdkAppId + "&CallbackCommand="
                + command + "&contenttype=json&Sign=" + CallbackSignature.sign(token, time) + "&RequestTime=" + time)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void eachAppsCallbacksPassOnlyWithItsOwnToken() throws Exception {
        String state = Samples.body("State.StateChange");
        assertThat(callback(PROD, PROD_TOKEN, "State.StateChange", state).statusCode()).isEqualTo(200);
        assertThat(callback(STAGING, STAGING_TOKEN, "State.StateChange", state).statusCode()).isEqualTo(200);

        HttpResponse<String> crossed = callback(PROD, STAGING_TOKEN, "State.StateChange", state);

        assertThat(crossed.statusCode()).isEqualTo(401);
        assertThat(crossed.body()).contains("Sign does not match the token of app prod");
        assertThat(callback(STAGING, PROD_TOKEN, "State.StateChange", state).statusCode()).isEqualTo(401);
        Scrape metrics = Scrape.of(router);
        assertThat(metrics.value("chat_callbacks_total{app=\"prod\",command=\"State.StateChange\",outcome=\"accepted\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics.value("chat_callbacks_total{app=\"prod\",command=\"State.StateChange\",outcome="
                + "\"bad_signature\"}")).isEqualTo(1);
    }

    @Test
    void eachAppsCallbacksReachOnlyItsOwnBackendAndItsAlarmsOnlyItsOwnChannel() throws Exception {
        String joined = Samples.body("Group.CallbackAfterNewMemberJoin");
        callback(PROD, PROD_TOKEN, "Group.CallbackAfterNewMemberJoin", joined);
        callback(STAGING, STAGING_TOKEN, "Group.CallbackAfterNewMemberJoin", joined);
        callback(PROD, PROD_TOKEN, "Alert.RequestOverLimit", "{\"CallbackCommand\":\"Alert.RequestOverLimit\","
                + "\"ServiceName\":\"openim\",\"Command\":\"prod_only\",\"Request\":300,\"Limit\":200}");
        callback(STAGING, STAGING_TOKEN, "Alert.RequestOverLimit", "{\"CallbackCommand\":\"Alert.RequestOverLimit\","
                + "\"ServiceName\":\"openim\",\"Command\":\"staging_only\",\"Request\":300,\"Limit\":200}");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(prodBackend.findAll(postRequestedFor(urlPathEqualTo("/prod"))))
                    .anyMatch(request -> request.queryParameter("SdkAppid").firstValue().equals(PROD))
                    .noneMatch(request -> request.queryParameter("SdkAppid").firstValue().equals(STAGING));
            assertThat(stagingBackend.findAll(postRequestedFor(urlPathEqualTo("/staging"))))
                    .anyMatch(request -> request.queryParameter("SdkAppid").firstValue().equals(STAGING))
                    .noneMatch(request -> request.queryParameter("SdkAppid").firstValue().equals(PROD));
            assertThat(pagers.of("wecom")).anyMatch(got -> got.body().contains("prod_only"))
                    .noneMatch(got -> got.body().contains("staging_only"));
            assertThat(pagers.of("dingtalk")).anyMatch(got -> got.body().contains("staging_only"))
                    .noneMatch(got -> got.body().contains("prod_only")).allMatch(FakeReceivers.Got::accepted);
        });
        // a relayed callback is signed with its own app's token
        String relayedTime = prodBackend.findAll(postRequestedFor(urlPathEqualTo("/prod"))).get(0)
                .queryParameter("RequestTime").firstValue();
        assertThat(prodBackend.findAll(postRequestedFor(urlPathEqualTo("/prod"))).get(0).queryParameter("Sign")
                .firstValue()).isEqualTo(CallbackSignature.sign(PROD_TOKEN, relayedTime));
    }

    @Test
    void aHangingBackendHoldsUpOnlyItsOwnAppsBeforeCallbacks() throws Exception {
        String message = Samples.body("C2C.CallbackBeforeSendMsg");
        List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            stuck.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return callback(STAGING, STAGING_TOKEN, "C2C.CallbackBeforeSendMsg", message);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        // the staging Before-callbacks are all in the router, waiting for their backend
        await().atMost(Duration.ofSeconds(5)).until(() -> router.context().getInflightRepository().size() >= 50);

        List<Long> prodMillis = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long started = System.nanoTime();
            HttpResponse<String> answer = callback(PROD, PROD_TOKEN, "C2C.CallbackBeforeSendMsg", message);
            prodMillis.add((System.nanoTime() - started) / 1_000_000);
            assertThat(answer.body()).isEqualTo(ALLOW);
        }

        assertThat(prodMillis.stream().sorted().toList().get(prodMillis.size() / 2))
                .as("median ms of prod's Before-callbacks while staging's backend hangs").isLessThan(300);
        for (CompletableFuture<HttpResponse<String>> answer : stuck) {
            assertThat(answer.get().body()).as("staging's fail policy, after its 1 s budget").isEqualTo(ALLOW);
        }
        assertThat(Scrape.of(router).value("chat_decisions_total{command=\"C2C.CallbackBeforeSendMsg\","
                + "decided_by=\"fail-policy\",decision=\"allow\"}")).isGreaterThanOrEqualTo(50);
    }
}
