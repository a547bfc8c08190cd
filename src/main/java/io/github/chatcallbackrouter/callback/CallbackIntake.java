package io.github.chatcallbackrouter.callback;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.LogText;
import io.github.chatcallbackrouter.support.RouterMeters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of the router: checks one HTTP request against the Tencent Cloud Chat webhook protocol (method,
 * SDKAppID, signature and its freshness, command word, JSON body) and turns it into a {@link CallbackEvent}, or
 * throws {@link CallbackRefusedException} with the reason.
 *
 * <p>Afterwards the message body is the event, with the {@link EventHeaders}.
 */
public final class CallbackIntake implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackIntake.class);
    private static final int MAX_NEAR_MISSES_SAID = 20;
    /** Header platform-http sets to the caller's address (camel-platform-http-vertx and our engine alike). */
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    private CamelContext camelContext;
    private volatile Apps apps;
    private SourceAddresses allowedSources = SourceAddresses.parse("");
    /** One verifier per app token: each remembers the expected Sign of the RequestTimes it saw last. */
    private final Map<String, CallbackSignature.Verifier> signatures = new ConcurrentHashMap<>();
    private long maxClockSkewSeconds = 60;
    private final Clock clock = Clock.systemUTC();
    private final Set<String> nearMisses = ConcurrentHashMap.newKeySet();

    /** Apps given outright (a Kamelet's parameters), instead of the settings' ({@link Apps#of}). */
    public void setApps(Apps apps) {
        this.apps = apps;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** How far RequestTime may be from the router's clock before the request counts as a replay. */
    public void setMaxClockSkewSeconds(long maxClockSkewSeconds) {
        this.maxClockSkewSeconds = maxClockSkewSeconds;
    }

    /** Addresses callbacks may come from (IPs and CIDR ranges, comma separated); empty = any address. */
    public void setAllowedSources(String commaSeparated) {
        this.allowedSources = SourceAddresses.parse(commaSeparated == null ? "" : commaSeparated);
    }

    /**
     * The checks that need no body: where the request comes from, its method, SdkAppid, Sign and RequestTime. The
     * callback server runs them before it reads a byte of the body, so an unauthenticated caller never has a body
     * buffered, and hands what it read to the route in the {@link Arrival}, so it is read once; a host that
     * embeds the routes in a server of its own has them run by the route.
     *
     * @param source the caller's address, or null when the server does not say
     * @return the query, read and checked, for the {@link Arrival}
     * @throws CallbackRefusedException when the request is refused, with the reason
     */
    public Object admit(String method, String rawQuery, InetAddress source) {
        return admitted(method, rawQuery, source);
    }

    private CallbackQuery admitted(String method, String rawQuery, InetAddress source) {
        if (source != null && !allowedSources.allows(source)) {
            throw Refusal.SOURCE_NOT_ALLOWED.because("callbacks are not accepted from " + source.getHostAddress()
                    + " (tencent.allowed-sources)");
        }
        CallbackQuery query = CallbackQuery.parse(rawQuery);
        boolean urlCheck = isUrlCheck(query);
        if (urlCheck && query.single("SdkAppid") == null) {
            return query; // the console's URL check may name no app: it is answered OK, and nothing is processed
        }
        if (!urlCheck && !"POST".equals(method)) {
            throw Refusal.METHOD_NOT_ALLOWED.because("Chat sends callbacks with POST, not " + method);
        }
        checkSignature(appOf(query.single("SdkAppid")), query);
        return query;
    }

    /**
     * Whether a request that passed {@link #admit} is a URL check rather than a callback: it names no command.
     * Chat's console checks a callback URL when an operator saves it, with a request Tencent does not document
     * (docs/tencent.md); it gets OK, by any method, and nothing of it is read or processed. A request that names an
     * app still passes that app's Sign check first, so nothing gets past the check this way.
     */
    public static boolean isUrlCheck(Object admitted) {
        return admitted instanceof CallbackQuery query && query.first("CallbackCommand") == null;
    }

    @Override
    public void process(Exchange exchange) {
        // the callback server sets it when the request arrived, which is what Chat's 2 seconds count from
        Arrival arrival = Arrival.of(exchange);
        Message in = exchange.getIn();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        if (!"POST".equals(method)) {
            in.setHeader("Allow", "POST");
        }
        CallbackQuery query = arrival.admitted();
        if (query == null) {
            query = admitted(method, in.getHeader(Exchange.HTTP_RAW_QUERY, String.class),
                    sourceOf(in.getHeader(REMOTE_ADDRESS)));
        }
        if (isUrlCheck(query)) {
            // a host that embeds the routes in a server of its own: the route answers the check
            CallbackMeter.urlCheck(query, Apps.of(camelContext), arrival.startedNanos());
            in.removeHeaders("*");
            in.setHeader(Exchange.CONTENT_TYPE, "application/json");
            in.setBody(CallbackAnswer.OK);
            exchange.setRouteStop(true);
            return;
        }
        String sdkAppId = query.single("SdkAppid");
        Apps.App app = appOf(sdkAppId);
        String command = query.single("CallbackCommand");
        arrival.identified(app.name(), CallbackMeter.label(command));
        CommandCatalog.get().nearMiss(command).ifPresent(meant -> nearMiss(command, meant));
        byte[] body = in.getBody(byte[].class);
        JsonNode payload = parseBody(body);
        // the callback exactly as Chat sent it, for a relay to the app's backend
        arrival.read(in.getHeader(Exchange.HTTP_RAW_QUERY, String.class), body);
        JsonNode bodyCommand = payload.get("CallbackCommand");
        if (bodyCommand != null && !command.equals(bodyCommand.asText())) {
            throw Refusal.COMMAND_MISMATCH.because("body names CallbackCommand " + LogText.of(bodyCommand.asText())
                    + " but the URL names " + LogText.of(command));
        }
        String kind = CommandCatalog.get().kindOf(command);
        if (CommandCatalog.get().isBatched(command) && payload.path("Events").isArray()) {
            RouterMeters.batchedEvents(app.name(), command, payload.path("Events").size());
        }
        CallbackEvent event = new CallbackEvent(
                eventId(),
                sdkAppId,
                command,
                kind,
                query.single("OptPlatform"),
                query.single("ClientIP"),
                Instant.now(clock).toString(),
                payload,
                app.name(),
                query.single("RequestTime"));
        in.setBody(event);
        EventHeaders.set(in, event);
    }

    /** A catalog word misspelt: said once per spelling (a few of them at most), counted as near_miss each time. */
    private void nearMiss(String command, String meant) {
        if (nearMisses.size() < MAX_NEAR_MISSES_SAID && nearMisses.add(command)) {
            LOG.warn("Callback command {} is not a word Chat sends (did you mean {}?): it is answered OK and handled"
                    + " as a word the router does not know; counted as command=\"near_miss\"", LogText.of(command),
                    meant);
        }
    }

    /** The caller's address from the header platform-http sets (a Vert.x or a JDK socket address). */
    private static InetAddress sourceOf(Object remoteAddress) {
        try {
            if (remoteAddress instanceof io.vertx.core.net.SocketAddress vertx && vertx.hostAddress() != null) {
                return InetAddress.getByName(vertx.hostAddress()); // a literal IP: nothing is looked up
            }
            if (remoteAddress instanceof InetSocketAddress jdk) {
                return jdk.getAddress();
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    /**
     * A random (version 4) UUID from the thread's own generator: the ids only have to be unique, and
     * UUID.randomUUID() makes every callback thread queue on one SecureRandom lock.
     */
    private static String eventId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    /** The app the request names by its SdkAppid, or the refusal. */
    private Apps.App appOf(String sdkAppId) {
        if (sdkAppId == null) {
            throw Refusal.UNKNOWN_SDKAPPID.because("SdkAppid query parameter is missing");
        }
        if (apps == null) {
            apps = Apps.of(camelContext); // the apps whose callbacks are accepted, each with its SDKAppID and token
        }
        return apps.bySdkAppId(sdkAppId).orElseThrow(() -> Refusal.UNKNOWN_SDKAPPID.because("SdkAppid "
                + LogText.of(sdkAppId) + " is not an SDKAppID of this router"));
    }

    /** The Sign, made with the token of the app the request names, and its RequestTime's freshness. */
    private void checkSignature(Apps.App app, CallbackQuery query) {
        String token = app.token();
        if (token.isEmpty()) {
            return;
        }
        String sign = query.single("Sign");
        String requestTime = query.single("RequestTime");
        if (sign == null || requestTime == null) {
            throw Refusal.MISSING_SIGNATURE.because(
                    "webhook authentication is on: Sign and RequestTime query parameters are required");
        }
        long seconds;
        try {
            seconds = Long.parseLong(requestTime);
        } catch (NumberFormatException e) {
            throw Refusal.BAD_SIGNATURE.because("RequestTime is not a Unix time in seconds");
        }
        if (!signatures.computeIfAbsent(token, CallbackSignature.Verifier::new).matches(requestTime, sign)) {
            throw Refusal.BAD_SIGNATURE.because("Sign does not match the token of app " + app.name()
                    + " and RequestTime");
        }
        // compared as a range, not as |now - RequestTime|, which overflows for a RequestTime near -2^63
        long now = Math.floorDiv(clock.millis(), 1000);
        if (seconds < now - maxClockSkewSeconds || seconds > now + maxClockSkewSeconds) {
            throw Refusal.STALE_REQUEST_TIME.because("RequestTime " + seconds + " is more than "
                    + maxClockSkewSeconds + " s away from the router's clock (" + now
                    + "): refused as a possible replay");
        }
    }

    private static JsonNode parseBody(byte[] body) {
        if (body == null || body.length == 0) {
            throw Refusal.EMPTY_BODY.because("body is empty; Chat sends a JSON object");
        }
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            JsonLocation where = e.getLocation();
            String at = where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
            String message = String.valueOf(e.getOriginalMessage());
            if (message.startsWith("Duplicate field")) {
                // readers would disagree on which of the two values the message holds
                throw Refusal.MALFORMED_JSON.because("body gives a key twice: "
                        + LogText.of(message.substring("Duplicate field ".length())) + at);
            }
            throw Refusal.MALFORMED_JSON.because("body is not valid JSON" + at);
        } catch (IOException e) {
            throw Refusal.MALFORMED_JSON.because("body could not be read as JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw Refusal.NOT_A_JSON_OBJECT.because("body is JSON but not an object; Chat sends a JSON object");
        }
        return payload;
    }
}
