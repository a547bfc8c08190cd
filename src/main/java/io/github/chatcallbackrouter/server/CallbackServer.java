package io.github.chatcallbackrouter.server;

import io.github.chatcallbackrouter.callback.Apps;
import io.github.chatcallbackrouter.callback.CallbackAnswer;
import io.github.chatcallbackrouter.callback.CallbackMeter;
import io.github.chatcallbackrouter.callback.Refusal;
import io.github.chatcallbackrouter.callback.RefusalAnswer;
import io.github.chatcallbackrouter.support.BoundedLog;
import io.github.chatcallbackrouter.support.CannotStartException;
import io.github.chatcallbackrouter.support.LogText;
import io.github.chatcallbackrouter.support.RouterMeters;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.StartupListener;
import org.apache.camel.StaticService;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public callback server, and the platform-http engine the routes run on (the route files stay
 * {@code platform-http:}; a host that embeds them keeps its own engine). The port faces the internet, so:
 * <ul>
 *   <li>a callback's query (source, method, SdkAppid, Sign, RequestTime) is checked before a byte of its body is
 *       read ({@link CallbackHttpConsumer});</li>
 *   <li>what a caller may hold is bounded ({@link RequestGate}): connections, the time a connection may hold the
 *       server without a request, each body's size and time, all bodies together, and the time to the answer;</li>
 *   <li>every answer, a malformed request's included, is Tencent's JSON, with no internal header;</li>
 *   <li>the port is bound when the server starts, so a busy port stops the router at once, but requests are held
 *       until every route runs, so none gets a 404 during start-up.</li>
 * </ul>
 */
public final class CallbackServer extends ServiceSupport implements PlatformHttpEngine, StaticService,
        StartupListener {

    /** Requests held while the routes start: more than this are refused 503. */
    private static final Logger LOG = LoggerFactory.getLogger(CallbackServer.class);
    private static final int MAX_HELD_AT_START = 1000;
    private static final int MAX_LINE_BYTES = 8192;
    private static final int MAX_HEADER_BYTES = 8192;

    private final CamelContext camelContext;
    private final String host;
    private final int port;
    private final String callbackPath;
    private final ServerLimits limits;
    private final TlsFiles tls;
    private final Map<String, CallbackHttpConsumer> consumers = new ConcurrentHashMap<>();
    private final Queue<Runnable> heldAtStart = new ArrayDeque<>();
    private final BoundedLog lateLog = new BoundedLog(5, Duration.ofSeconds(10));
    private volatile boolean ready;
    private RefusalAnswer refusals;
    private Apps apps;
    private Vertx vertx;
    private HttpServer server;
    private RequestGate gate;
    private long sweeper = -1;

    CallbackServer(CamelContext camelContext, String host, int port, String callbackPath, ServerLimits limits,
                   TlsFiles tls) {
        this.camelContext = camelContext;
        this.host = host;
        this.port = port;
        this.callbackPath = callbackPath;
        this.limits = limits;
        this.tls = tls;
    }

    @Override
    protected void doInit() throws Exception {
        camelContext.addStartupListener(this);
    }

    @Override
    protected void doStart() throws Exception {
        // the routes' own (ingest.camel.yaml), so a flood is bounded once whichever side refuses it
        refusals = CamelContextHelper.findSingleByType(camelContext, RefusalAnswer.class);
        if (refusals == null) {
            refusals = new RefusalAnswer();
        }
        apps = Apps.of(camelContext);
        VertxOptions options = CamelContextHelper.findSingleByType(camelContext, VertxOptions.class);
        vertx = Vertx.vertx(options != null ? options : new VertxOptions());
        // the routes' own HTTP clients (the app's backend) share its event loops
        camelContext.getRegistry().bind("callbackServerVertx", Vertx.class, vertx);
        gate = new RequestGate(limits, System::nanoTime);
        server = vertx.createHttpServer(tls.applyTo(new HttpServerOptions()
                        // callbacks are HTTP/1.1; an h2c upgrade would bypass the per-connection limits
                        .setHttp2ClearTextEnabled(false)
                        .setMaxInitialLineLength(MAX_LINE_BYTES)
                        .setMaxHeaderSize(MAX_HEADER_BYTES)
                        // a backstop under the gate's deadlines: no byte in either direction for this long
                        .setIdleTimeout((int) Math.max(1, limits.idleTimeoutMs() + limits.bodyTimeoutMs()))
                        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)))
                .connectionHandler(this::opened)
                .invalidRequestHandler(this::invalidRequest)
                .requestHandler(this::request);
        try {
            server.listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            vertx.close();
            throw new CannotStartException("The callback server cannot listen on " + host + ":" + port + ": "
                    + e.getCause().getMessage() + ". Is another router (or another program) using that port?",
                    e.getCause());
        }
        sweeper = vertx.setPeriodic(RequestGate.SWEEP_MILLIS, tick -> gate.sweep(System.nanoTime()));
        if (tls.on()) {
            watchCertificates();
        }
        RouterMeters.gauge("chat.http.buffered.bytes", "Bytes of callback bodies being read now",
                gate::bodyBytesHeld);
        RouterMeters.gauge("chat.http.connections.open", "Open connections to the callback port",
                gate::openConnections);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // routes may still be starting here; held requests go on in onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        synchronized (heldAtStart) {
            ready = true;
            heldAtStart.forEach(Runnable::run);
            heldAtStart.clear();
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (sweeper != -1) {
            vertx.cancelTimer(sweeper);
            sweeper = -1;
        }
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        ready = false;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new CallbackHttpConsumer(endpoint, processor, this);
    }

    @Override
    public int getServerPort() {
        return server != null && server.actualPort() > 0 ? server.actualPort() : port;
    }

    /** Binds this server as the platform-http engine, so platform-http routes are served by it. */
    void bindAsEngine() {
        camelContext.getRegistry().bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME, PlatformHttpEngine.class,
                this);
    }

    RequestGate gate() {
        return gate;
    }

    RefusalAnswer refusals() {
        return refusals;
    }

    String callbackPath() {
        return callbackPath;
    }

    /** Where Chat calls: the callback URL on the address and port the server listens on. */
    public String url() {
        return (tls.on() ? "https://" : "http://") + host + ":" + server.actualPort() + callbackPath;
    }

    /** How the port is reached: "plain HTTP", or HTTPS from which files, and whether callers need a certificate. */
    public String describeTls() {
        return tls.describe();
    }

    ServerLimits limits() {
        return limits;
    }

    CamelContext camelContext() {
        return camelContext;
    }

    void register(String path, CallbackHttpConsumer consumer) {
        if (consumers.putIfAbsent(path, consumer) != null) {
            throw new IllegalStateException("two platform-http routes serve " + path);
        }
    }

    void unregister(String path, CallbackHttpConsumer consumer) {
        consumers.remove(path, consumer);
    }

    /**
     * Looks at the certificate files every router.tls.reload-check; when one changed, the server takes them up for
     * new connections (a renewed certificate needs no restart). A file that cannot be read, or a key that is not the
     * certificate's (one of the pair replaced, the other not yet), keeps the last ones.
     */
    private void watchCertificates() {
        String[] seen = {tls.fingerprint()};
        vertx.setPeriodic(tls.reloadCheckMillis(), tick -> {
            String now = tls.fingerprint();
            if (now.equals(seen[0])) {
                return;
            }
            seen[0] = now;
            String unusable = tls.unusable(vertx);
            if (unusable != null) {
                LOG.warn("The callback port's certificate files changed but {}; the port goes on with the ones before"
                        + " until they change again", LogText.of(unusable));
                return;
            }
            server.updateSSLOptions(tls.sslOptions(), true).onComplete(updated -> {
                if (updated.succeeded()) {
                    LOG.info("The callback port's certificate files changed: new connections get them ({})",
                            tls.describe());
                } else {
                    LOG.error("The callback port's certificate files changed but cannot be used ({}); the port goes"
                            + " on with the ones before", LogText.of(String.valueOf(updated.cause())));
                }
            });
        });
    }

    /** A new connection: watched, and each of its requests' heads read by the framing guard first. */
    private void opened(HttpConnection connection) {
        Context loop = Vertx.currentContext();
        if (!gate.opened(connection, task -> loop.runOnContext(run -> task.run()), connection::close)) {
            return;
        }
        connection.closeHandler(closed -> gate.closed(connection));
        // Vert.x offers no public hook before its decoder; its connection is a Netty channel underneath
        ((ConnectionBase) connection).channel().pipeline().addBefore("httpDecoder", RequestFraming.NAME,
                new RequestFraming(MAX_LINE_BYTES + MAX_HEADER_BYTES, (refusal, reason) ->
                        refusals.refuse(refusal, reason, null, System.nanoTime())));
    }

    private void request(HttpServerRequest request) {
        long arrived = gate.requestArrived(request.connection());
        request.response().endHandler(answered -> gate.answered(request.connection()));
        if (!ready) {
            synchronized (heldAtStart) {
                if (!ready) {
                    hold(request);
                    return;
                }
            }
        }
        dispatch(request, arrived);
    }

    /** Paused until the routes run, then dispatched on its own event loop. */
    private void hold(HttpServerRequest request) {
        if (heldAtStart.size() >= MAX_HELD_AT_START) {
            refuse(request, Refusal.UNAVAILABLE, "the router is starting; try again", System.nanoTime());
            return;
        }
        request.pause();
        Context context = Vertx.currentContext();
        long arrived = System.nanoTime();
        heldAtStart.add(() -> context.runOnContext(resumed -> {
            dispatch(request, arrived);
            request.resume();
        }));
    }

    private void dispatch(HttpServerRequest request, long arrived) {
        CallbackHttpConsumer consumer = consumers.get(request.path());
        if (consumer != null) {
            consumer.handle(request, arrived);
        } else if (request.path().equals(callbackPath)) {
            refuse(request, Refusal.UNAVAILABLE, "the callback route is not running; try again", System.nanoTime());
        } else {
            refuse(request, Refusal.NOT_FOUND, "no callback endpoint at " + request.path()
                    + "; check the webhook URL in Chat's console", System.nanoTime());
        }
    }

    /** What Netty could not parse (a request line or head too long, a broken header): FAIL JSON, then closed. */
    private void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        String problem = cause == null ? "malformed HTTP request" : cause.getClass().getSimpleName();
        String json = refusals.refuse(Refusal.MALFORMED_REQUEST, "the HTTP request could not be read ("
                + problem + ")", null, System.nanoTime());
        request.response().setStatusCode(Refusal.MALFORMED_REQUEST.httpStatus())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(json).onComplete(written -> request.connection().close());
    }

    /**
     * A callback whose route had not answered by Chat's deadline, answered OK by the server: counted
     * (outcome answered_at_deadline) and said, at a bounded rate.
     */
    void answerAtDeadline(HttpServerRequest request, long startedNanos) {
        String command = CallbackMeter.answeredBy(request.query(), apps, "answered_at_deadline", startedNanos);
        String note = lateLog.admit("late");
        if (note != null) {
            LOG.warn("Callback {} answered OK at Chat's deadline: its route had not answered within {} ms (a step"
                    + " waits for something: the disk, a rule's endpoint){}", LogText.of(command),
                    RequestGate.ANSWER_DEADLINE_MILLIS, note);
        }
    }

    /** Logs (at a bounded rate), counts and answers a refusal made before any route ran. */
    /** A URL check (a request that names no command), answered OK before its body is read: counted and said. */
    void answerUrlCheck(HttpServerRequest request, Object admitted, long startedNanos) {
        CallbackMeter.urlCheck(admitted, apps, startedNanos);
        answer(request, 200, CallbackAnswer.OK, false);
    }

    void refuse(HttpServerRequest request, Refusal refusal, String reason, long startedNanos) {
        String json = refusals.refuse(refusal, reason, request.query(), startedNanos);
        answer(request, refusal.httpStatus(), json, refusal == Refusal.METHOD_NOT_ALLOWED);
    }

    /**
     * Sends a JSON answer. A request whose body is still coming is answered at once: a small rest is read and
     * dropped (the connection stays usable); a large or chunked one closes the connection after the answer, so
     * nobody holds the server by sending a body it will never read.
     */
    static void answer(HttpServerRequest request, int status, String json, boolean allowPost) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (allowPost) {
            response.putHeader(HttpHeaders.ALLOW, "POST");
        }
        boolean close = !request.isEnded() && !smallRest(request);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        response.end(json).onComplete(written -> {
            if (close) {
                request.connection().close();
            }
        });
    }

    /** Whether what is left of the body is small enough to read and drop rather than close the connection. */
    private static boolean smallRest(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null; // no body at all
        }
        try {
            return Long.parseLong(length.trim()) <= 65_536;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
