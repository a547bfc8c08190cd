package io.github.chatcallbackrouter.bench;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/** What the load sends to one server, and which answers count as served. */
interface Workload {

    /** One POST: path with query, and body. */
    record Request(String uri, Buffer body) {
    }

    /** One cycle of the requests, sent round robin; signed now where the server checks a signature. */
    List<Request> cycle();

    /** Whether an answer is the one the server gives when it took the request. */
    boolean isOk(int status, String body);

    /** Prometheus Alertmanager ingesting the equivalent of an over-limit alarm: one alert per POST, answered 200. */
    static Workload alertmanagerAlert() {
        Request alert = new Request("/api/v2/alerts", Buffer.buffer("""
                [{"labels":{"alertname":"RequestOverLimit","sdkappid":"1400000000","api":"openim/batchsendmsg",\
                "severity":"critical"},"annotations":{"summary":"Over its rate limit: Sends one-to-one messages to\
                 multiple users at 255%"}}]"""));
        return new Workload() {
            @Override
            public List<Request> cycle() {
                return List.of(alert);
            }

            @Override
            public boolean isOk(int status, String body) {
                return status == 200;
            }
        };
    }
}
