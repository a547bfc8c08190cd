package io.github.chatcallbackrouter.server;

import io.github.chatcallbackrouter.callback.Arrival;
import io.github.chatcallbackrouter.callback.CallbackAnswer;
import io.github.chatcallbackrouter.callback.CallbackIntake;
import io.github.chatcallbackrouter.callback.CallbackRefusedException;
import io.github.chatcallbackrouter.callback.Refusal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.DefaultConsumer;

/**
 * One platform-http route served by the {@link CallbackServer}. For the callback path, the {@link CallbackIntake}
 * of the routes checks the query before the body is read; the body is then read within the limits of the server's
 * {@link RequestGate} (its size, all bodies together, its time), the route runs asynchronously on the connection's
 * event loop (no thread is held while it waits), and its answer is written with only the headers the endpoint's
 * header filter lets out.
 * A route that fails without answering gets Tencent's FAIL JSON.
 *
 * <p>Like camel-platform-http-vertx, it sets CamelHttpMethod, CamelHttpPath, CamelHttpUri, CamelHttpQuery,
 * CamelHttpRawQuery and the caller's address (CamelVertxPlatformHttpRemoteAddress); request headers are copied
 * as the endpoint's header filter allows; query parameters are not copied (read CamelHttpRawQuery). Paths are
 * matched exactly.
 */
final class CallbackHttpConsumer extends DefaultConsumer implements PlatformHttpConsumer, Suspendable {

    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";
    private static final String LOCAL_ADDRESS = "CamelVertxPlatformHttpLocalAddress";

    private final CallbackServer server;
    private CallbackIntake intake;

    CallbackHttpConsumer(PlatformHttpEndpoint endpoint, Processor processor, CallbackServer server) {
        super(endpoint, processor);
        this.server = server;
    }

    @Override
    public PlatformHttpEndpoint getEndpoint() {
        return (PlatformHttpEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String path = getEndpoint().getPath();
        if (path.contains("{") || getEndpoint().isMatchOnUriPrefix()) {
            throw new IllegalArgumentException("platform-http:" + path + ": the callback server serves exact paths"
                    + " only (no {parameters}, no matchOnUriPrefix)");
        }
        intake = path.equals(server.callbackPath())
                ? CamelContextHelper.findSingleByType(server.camelContext(), CallbackIntake.class) : null;
        server.register(path, this);
    }

    @Override
    protected void doStop() throws Exception {
        server.unregister(getEndpoint().getPath(), this);
        super.doStop();
    }

    /** One request, which arrived at {@code started} (nanoTime): Chat's 2 seconds count from there. */
    void handle(HttpServerRequest request, long started) {
        if (isSuspended() || !isRunAllowed()) {
            server.refuse(request, Refusal.UNAVAILABLE, "the router is stopping; try again", started);
            return;
        }
        Object admitted = null;
        if (intake != null) {
            try {
                admitted = intake.admit(request.method().name(), request.query(), address(request.remoteAddress()));
            } catch (CallbackRefusedException refused) {
                server.refuse(request, refused.refusal(), refused.getMessage(), started);
                return;
            }
            if (CallbackIntake.isUrlCheck(admitted)) {
                server.answerUrlCheck(request, admitted, started);
                return;
            }
        }
        new BodyReader(request, started, admitted).start();
    }

    /** The body of one request, read within the gate's limits; then the route runs. */
    private final class BodyReader {

        private final HttpServerRequest request;
        private final long started;
        private final Object admitted;
        private final RequestGate.Pass pass;
        private Buffer body;

        BodyReader(HttpServerRequest request, long started, Object admitted) {
            this.request = request;
            this.started = started;
            this.admitted = admitted;
            this.pass = server.gate().pass(request.connection(), started);
        }

        void start() {
            long declared = declaredLength();
            if (!makeRoom(Math.max(declared, 0))) {
                return;
            }
            body = Buffer.buffer((int) Math.max(declared, 256));
            pass.bodyExpected(() -> {
                if (!pass.released()) {
                    refuse(Refusal.REQUEST_TIMEOUT.because("the body did not arrive within "
                            + server.limits().bodyTimeoutMs() + " ms"));
                    request.connection().close();
                }
            });
            request.response().closeHandler(closed -> pass.release());
            request.exceptionHandler(failed -> pass.release());
            request.handler(this::chunk);
            request.endHandler(ended -> {
                if (!pass.released()) {
                    pass.bodyIn();
                    process();
                }
            });
            if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
                request.response().writeContinue();
            }
        }

        private void chunk(Buffer chunk) {
            if (!pass.released() && makeRoom(body.length() + (long) chunk.length())) {
                body.appendBuffer(chunk);
            }
        }

        /** Room for {@code size} bytes of body, else the request is refused (false). */
        private boolean makeRoom(long size) {
            try {
                pass.makeRoom(size);
                return true;
            } catch (CallbackRefusedException refused) {
                refuse(refused);
                return false;
            }
        }

        private void refuse(CallbackRefusedException refused) {
            pass.release();
            server.refuse(request, refused.refusal(), refused.getMessage(), started);
        }

        private void process() {
            Exchange exchange = createExchange(false);
            // the answer is the message the route ends with; InOut would make Camel copy it into a new "out"
            // message, headers and all, at the end of every pipeline (a twentieth of each callback's garbage)
            exchange.setPattern(ExchangePattern.InOnly);
            Arrival.set(exchange, started, admitted);
            Message in = exchange.getIn();
            in.setHeader(Exchange.HTTP_METHOD, request.method().name());
            in.setHeader(Exchange.HTTP_PATH, request.path());
            in.setHeader(Exchange.HTTP_URI, request.uri());
            in.setHeader(Exchange.HTTP_QUERY, request.query());
            in.setHeader(Exchange.HTTP_RAW_QUERY, request.query());
            in.setHeader(REMOTE_ADDRESS, request.remoteAddress());
            in.setHeader(LOCAL_ADDRESS, request.localAddress());
            copyRequestHeaders(request, in, exchange);
            in.setBody(body.getBytes());
            body = null;
            // the route runs here, on the connection's event loop, and answers when it is done: a step that waits
            // (an alarm's fsync, the app's backend) hands the rest of the route to another thread and frees this one
            Context context = Vertx.currentContext();
            // whatever a step waits for, Chat hears an answer before its 2 seconds are up
            pass.answerExpected(this::answerAtTheDeadline);
            try {
                createUoW(exchange);
                getAsyncProcessor().process(exchange, doneSync -> {
                    if (Vertx.currentContext() == context) {
                        finish(exchange, null);
                    } else {
                        context.runOnContext(written -> finish(exchange, null));
                    }
                });
            } catch (Exception e) {
                finish(exchange, e);
            }
        }

        /**
         * The route has not answered and Chat's 2 seconds are nearly up: Chat is answered OK now, which is what it
         * does itself when an app does not answer (the message goes through); the route goes on keeping what it
         * keeps. (A slow backend has been answered for by the fail policy before this, at upstream.budget-ms.)
         */
        private void answerAtTheDeadline() {
            HttpServerResponse response = request.response();
            if (response.ended() || response.closed()) {
                return;
            }
            server.answerAtDeadline(request, started);
            response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(CallbackAnswer.OK);
        }

        private void finish(Exchange exchange, Throwable failure) {
            try {
                answer(exchange, failure != null ? failure : exchange.getException());
            } finally {
                doneUoW(exchange);
                releaseExchange(exchange, false);
                pass.release();
            }
        }

        private void answer(Exchange exchange, Throwable failure) {
            if (failure != null) {
                // a route that failed without answering: the answer the routes' own error handling would give
                exchange.setException(null);
                exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
                server.refusals().process(exchange);
            }
            HttpServerResponse response = request.response();
            if (response.ended() || response.closed()) {
                return;
            }
            Message out = exchange.getMessage();
            // a String answer (the JSON of the routes) is UTF-8, whatever the platform's default charset
            byte[] bytes = out.getBody() instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                    : out.getBody(byte[].class);
            Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            response.setStatusCode(status != null ? status : bytes == null ? 204 : 200);
            HeaderFilterStrategy filter = getEndpoint().getHeaderFilterStrategy();
            for (Map.Entry<String, Object> header : out.getHeaders().entrySet()) {
                if (filter != null && header.getValue() != null
                        && !filter.applyFilterToCamelHeaders(header.getKey(), header.getValue(), exchange)) {
                    response.putHeader(header.getKey(), header.getValue().toString());
                }
            }
            response.end(bytes == null ? Buffer.buffer() : Buffer.buffer(bytes));
        }

        private long declaredLength() {
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            try {
                return length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                return -1; // Netty refuses a malformed Content-Length before we see it
            }
        }
    }

    private void copyRequestHeaders(HttpServerRequest request, Message in, Exchange exchange) {
        HeaderFilterStrategy filter = getEndpoint().getHeaderFilterStrategy();
        for (Map.Entry<String, String> header : request.headers()) {
            if (filter != null && !filter.applyFilterToExternalHeaders(header.getKey(), header.getValue(), exchange)) {
                in.setHeader(header.getKey(), header.getValue());
            }
        }
    }

    private static InetAddress address(SocketAddress remote) {
        try {
            return remote == null || remote.hostAddress() == null ? null : InetAddress.getByName(remote.hostAddress());
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
