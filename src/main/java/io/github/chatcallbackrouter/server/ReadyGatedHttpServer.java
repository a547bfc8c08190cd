package io.github.chatcallbackrouter.server;

import io.github.chatcallbackrouter.callback.CallbackAnswer;
import io.github.chatcallbackrouter.callback.CallbackMeter;
import io.github.chatcallbackrouter.callback.Refusal;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.StaticService;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public callback server: a Vert.x server that binds its router at start (so the platform-http routes can
 * register) but listens only when the CamelContext is fully started. Requests that match no route, or whose body
 * is over the size limit, get Tencent's FAIL JSON instead of Vert.x's empty answer.
 */
final class ReadyGatedHttpServer extends ServiceSupport implements StaticService, StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReadyGatedHttpServer.class);

    private final CamelContext camelContext;
    private final VertxPlatformHttpServerConfiguration configuration;
    private GatedServer server;

    ReadyGatedHttpServer(CamelContext camelContext, VertxPlatformHttpServerConfiguration configuration) {
        this.camelContext = camelContext;
        this.configuration = configuration;
    }

    @Override
    protected void doInit() throws Exception {
        configuration.setServerType(VertxPlatformHttpRouter.SERVER_TYPE_SERVER);
        // the platform-http engine looks the bind port up by type while routes start, before the server listens
        camelContext.getRegistry().bind("callbackServerConfiguration", configuration);
        server = new GatedServer(configuration);
        server.setCamelContext(camelContext);
        // the context stops the server after the routes, so in-flight callbacks are still answered
        camelContext.addService(server);
        camelContext.addStartupListener(this);
    }

    @Override
    protected void doStart() throws Exception {
        server.start();
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(
                camelContext, VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getBindPort()));
        readEveryBodyAsIs(router);
        answerUnmatchedWithFailJson(router);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // routes may still be starting here; the port opens in onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        if (server.getServer() == null) {
            server.listen();
            LOG.info("Callback server listening on {}:{} now that every route has started",
                    configuration.getBindHost(), server.getPort());
        }
    }

    /**
     * Chat's Content-Type is not documented. A form or multipart type would make Vert.x parse the JSON body as form
     * fields and hand the route an empty body, so callbacks are read as the bytes they are.
     */
    private static void readEveryBodyAsIs(VertxPlatformHttpRouter router) {
        router.route().handler(ctx -> {
            String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (contentType != null && (contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                    || contentType.regionMatches(true, 0, "multipart/", 0, 10))) {
                ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
            }
            ctx.next();
        });
    }

    private void answerUnmatchedWithFailJson(VertxPlatformHttpRouter router) {
        // the last route of all: nothing else matched the path
        Route unmatched = router.route().order(Integer.MAX_VALUE);
        unmatched.handler(ctx -> answer(ctx, Refusal.NOT_FOUND,
                "no callback endpoint at " + ctx.normalizedPath() + "; check the webhook URL in Chat's console"));
        // Vert.x's body handler fails the request with 413 before any Camel route sees it
        router.route().failureHandler(ctx -> {
            if (ctx.statusCode() == Refusal.BODY_TOO_LARGE.httpStatus()) {
                answer(ctx, Refusal.BODY_TOO_LARGE,
                        "body is larger than the " + configuration.getMaxBodySize() + " bytes the router accepts");
            } else {
                ctx.next();
            }
        });
    }

    private static void answer(RoutingContext ctx, Refusal refusal, String reason) {
        LOG.warn("Refused request {} {}: HTTP {} {}: {}", ctx.request().method(), ctx.normalizedPath(),
                refusal.httpStatus(), refusal.label(), reason);
        // answered before any route: counted, with no route time to measure
        CallbackMeter.refused(ctx.request().getParam("CallbackCommand"), refusal, System.nanoTime());
        if (!ctx.response().ended()) {
            ctx.response()
                    .setStatusCode(refusal.httpStatus())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(CallbackAnswer.fail(refusal, reason));
        }
    }

    /** Vert.x server whose start only prepares the router; {@link #listen()} opens the port. */
    private static final class GatedServer extends VertxPlatformHttpServer {

        GatedServer(VertxPlatformHttpServerConfiguration configuration) {
            super(configuration);
        }

        @Override
        protected void doStart() {
            initializeServer();
        }

        void listen() throws Exception {
            startServer();
        }
    }
}
