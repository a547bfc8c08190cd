package io.github.chatcallbackrouter.explain;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.chatcallbackrouter.alert.AlertClassifier;
import io.github.chatcallbackrouter.alert.Silences;
import io.github.chatcallbackrouter.callback.Apps;
import io.github.chatcallbackrouter.callback.Arrival;
import io.github.chatcallbackrouter.callback.BeforeAnswer;
import io.github.chatcallbackrouter.callback.CallbackSignature;
import io.github.chatcallbackrouter.callback.EventHeaders;
import io.github.chatcallbackrouter.channel.ChannelComponent;
import io.github.chatcallbackrouter.channel.ChannelKind;
import io.github.chatcallbackrouter.channel.Channels;
import io.github.chatcallbackrouter.delivery.Delivery;
import io.github.chatcallbackrouter.slack.SlackText;
import io.github.chatcallbackrouter.support.ChoiceRules;
import io.github.chatcallbackrouter.support.Json;
import io.github.chatcallbackrouter.support.RouteEndpoints;
import io.github.chatcallbackrouter.support.RouteFiles;
import io.github.chatcallbackrouter.support.RouterMeters;
import io.github.chatcallbackrouter.support.SettingsContext;
import io.github.chatcallbackrouter.support.Urls;
import io.github.chatcallbackrouter.upstream.Backends;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.InterceptSendToEndpoint;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.FileUtil;
import org.apache.camel.util.URISupport;

/**
 * Runs callbacks through the real route files (intake, decisions, classification, silences, rules) in a scratch
 * CamelContext in which every delivery is replaced by a recorder: nothing is sent, written or journaled, and no
 * port is opened. The callback route's HTTP input and the hand-off queue become direct endpoints; the routes that
 * a timer, a queue or a broker would start are left out.
 */
public final class Explainer implements AutoCloseable {

    /** A callback to explain; {@code headers} are set on the event where the rules see it (rule tests use them). */
    public record Callback(String command, String sdkAppId, String body, Map<String, String> headers) {
    }

    private static final String CALLBACK = "direct:explain-callback";
    private static final String CLASSIFY = "direct:explain-classify";
    /** Components that deliver nothing: they run as they are. */
    private static final Set<String> INTERNAL = Set.of("direct", "log", "bean", "class", "language",
            ChannelComponent.SCHEME, "slack-channel", "controlbus");

    private final DefaultCamelContext context;
    private final ProducerTemplate template;
    private final Path scratch;
    private final String dataDir;
    private final Map<String, Rules> choices = new HashMap<>();
    /** The routes that hold the rules (rules, decide): a send from them is named by its endpoint. */
    private final Set<String> ruleRoutes = new HashSet<>();
    private Recording recording;

    /**
     * @param propertiesLocation where the settings come from, e.g. file:application.properties
     * @param routesPattern      the route files, e.g. file:routes/*.camel.yaml,file:routes/local/*.camel.yaml
     * @param overrides          settings that win over the file (rule tests turn the app's backend off)
     * @param applySilences      whether the data directory's silences apply, as they would in the router now
     */
    public Explainer(String propertiesLocation, String routesPattern, Map<String, String> overrides,
                     boolean applySilences) throws Exception {
        scratch = Files.createTempDirectory("router-explain");
        context = SettingsContext.create("explain", propertiesLocation, overrides);
        try {
            dataDir = context.resolvePropertyPlaceholders("{{router.data-dir}}");
            if (applySilences) {
                copySilences(Path.of(dataDir).resolve("silences"), scratch.resolve("silences"));
            }
            Properties scratchSettings = ((PropertiesComponent) context.getPropertiesComponent()).getOverrideProperties();
            scratchSettings.put("router.data-dir", scratch.toString());
            // the source check is about the network, not the rules; the callbacks here come from nowhere
            scratchSettings.put("tencent.allowed-sources", "");
            // each callback as the first of its storm: one explained before must not fold the next
            scratchSettings.put("alerts.group-window", "0");
            offChannelsStandIn(scratchSettings);
            RouterMeters.offTheRecord(() -> {
                start(routesPattern);
                return null;
            });
            template = context.createProducerTemplate();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The SDKAppID of the app of this name, when one is declared. */
    public Optional<String> sdkAppIdOf(String app) {
        return Apps.of(context).byName(app).map(Apps.App::sdkAppId);
    }

    /** The apps' names, for a line saying which there are. */
    public List<String> appNames() {
        return Apps.of(context).all().stream().map(Apps.App::name).toList();
    }

    /** What the routes would do with this callback. */
    public synchronized Explanation explain(Callback callback) throws Exception {
        return RouterMeters.offTheRecord(() -> run(callback));
    }

    @Override
    public void close() {
        try {
            context.stop();
        } catch (RuntimeException e) {
            // services that never started (a broker's store) may refuse to stop; nothing is left running
        }
        FileUtil.removeDir(scratch.toFile());
    }

    private void start(String routesPattern) throws Exception {
        context.getCamelContextExtension().registerEndpointCallback(this::intercepted);
        PluginHelper.getRoutesLoader(context).loadRoutes(RouteFiles.find(context, routesPattern));
        AdviceWith.adviceWith(context, routeFrom("platform-http:").getRouteId(), a -> a.replaceFromWith(CALLBACK));
        AdviceWith.adviceWith(context, routeFrom(RouteEndpoints.HAND_OFF_QUEUE).getRouteId(),
                a -> a.replaceFromWith(CLASSIFY));
        // what a timer, a queue or a broker starts is left out: only the steps a callback goes through are here
        context.removeRouteDefinitions(context.getRouteDefinitions().stream()
                .filter(route -> !route.getInput().getEndpointUri().startsWith("direct:")).toList());
        // as the router runs them (camel.main.stream-caching-enabled=false): a body is what the step made
        context.setStreamCaching(false);
        context.start();
        for (String endpoint : List.of(RouteEndpoints.RULES, RouteEndpoints.DECIDE)) {
            RouteDefinition route = routeFrom(endpoint);
            choices.put(endpoint, new Rules(route.getResource() == null ? route.getRouteId()
                    : RouteFiles.name(route.getResource()), ChoiceRules.of(context, route)));
            ruleRoutes.add(route.getRouteId());
        }
    }

    private Explanation run(Callback callback) {
        recording = new Recording(callback.headers());
        Apps apps = Apps.of(context);
        // signed with its app's token, as Chat signs it; an SDKAppID no app declares is refused, as at the door
        Apps.App first = apps.all().iterator().next();
        String sdkAppId = callback.sdkAppId() != null ? callback.sdkAppId() : first.sdkAppId();
        String token = apps.bySdkAppId(sdkAppId).map(Apps.App::token).orElse("");
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getIn().setHeader(Exchange.HTTP_RAW_QUERY,
                CallbackSignature.query(sdkAppId, callback.command(), token, Instant.now().getEpochSecond()));
        exchange.getIn().setBody(callback.body().getBytes(StandardCharsets.UTF_8));
        template.send(CALLBACK, exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        String answer = exchange.getMessage().getBody(String.class);
        for (Object event : recording.handedOff) {
            Exchange routed = new DefaultExchange(context);
            routed.getIn().setBody(event);
            template.send(CLASSIFY, routed);
            if (routed.getException() != null) {
                recording.problems.add("the rules failed: " + routed.getException().getMessage());
            }
        }
        return new Explanation(callback.command(), sdkAppId, status, answer, recording.decision, recording.upstream,
                recording.rule, recording.severity, recording.silencedBy, List.copyOf(recording.places),
                List.copyOf(recording.problems));
    }

    /** Each endpoint as it is created: a delivery becomes a recorder (skipped), the rules get a witness. */
    private Endpoint intercepted(String uri, Endpoint endpoint) {
        if (endpoint instanceof InterceptSendToEndpoint || endpoint instanceof Recorded) {
            return endpoint;
        }
        int colon = uri.indexOf(':');
        String scheme = uri.substring(0, colon);
        String name = uri.substring(colon + 1).replaceFirst("^//", "").replaceFirst("\\?.*", "");
        String endpointName = scheme + ":" + name;
        Processor recorder = switch (endpointName) {
            case RouteEndpoints.RULES -> exchange -> recording.rules(exchange, choices.get(RouteEndpoints.RULES));
            case RouteEndpoints.DECIDE -> exchange -> recording.decision = choices.get(RouteEndpoints.DECIDE)
                    .match(exchange);
            // at the hand-off's door, so the rules are asked even for what the router would not hand off to them
            case RouteEndpoints.KEEP_ALARM, RouteEndpoints.HAND_OFF, RouteEndpoints.HAND_OFF_QUEUE ->
                    exchange -> recording.handedOff.add(exchange.getIn().getBody());
            case RouteEndpoints.ASK_UPSTREAM -> this::askUpstream;
            case RouteEndpoints.DELIVER -> this::delivery;
            default -> null;
        };
        if (recorder != null) {
            // the rules and the decision run (recorded on their way in); the rest is recorded instead of done
            boolean skip = !endpointName.equals(RouteEndpoints.RULES) && !endpointName.equals(RouteEndpoints.DECIDE);
            return PluginHelper.getInterceptEndpointFactory(context)
                    .createInterceptSendToEndpoint(context, endpoint, skip, null, recorder, null);
        }
        return INTERNAL.contains(scheme) ? endpoint : new Recorded(endpoint, exchange -> endpointSend(exchange, endpoint));
    }

    /** A Before-callback for the app's backend: recorded; the answer shown is the fail policy's. */
    private void askUpstream(Exchange exchange) {
        Backends backends = context.getRegistry().findSingleByType(Backends.class);
        if (backends == null || !backends.matches(exchange)) {
            return;
        }
        String command = exchange.getIn().getHeader(EventHeaders.COMMAND, String.class);
        String app = exchange.getIn().getHeader(EventHeaders.APP, String.class);
        String fallback = backends.fallbackDecision(app, command);
        recording.upstream = "asked before Chat is answered; Chat gets the backend's answer. Shown: the answer when it"
                + " cannot answer within upstream.budget-ms (" + fallback + ")";
        exchange.getIn().setHeader(BeforeAnswer.DECISION, fallback);
        exchange.getIn().setHeader(BeforeAnswer.DECIDED_BY, "fail-policy");
        byte[] callbackBody = Arrival.of(exchange).rawBody();
        recording.places.add(new Place("upstream", Urls.redact(backends.url(app)), false, null,
                json(new String(callbackBody, StandardCharsets.UTF_8))));
    }

    private void delivery(Exchange exchange) {
        Delivery delivery = exchange.getIn().getBody(Delivery.class);
        String destination = delivery.destination().replaceFirst(":.*", "");
        Place place;
        if (ChannelKind.of(destination).isPresent()) {
            // what the channel's receiver would get now, its secrets masked
            Channels channels = context.getRegistry().findSingleByType(Channels.class);
            String body = Channels.body(channels.preview(delivery));
            boolean off = delivery.url().startsWith(ChannelKind.NO_URL);
            String name = delivery.destination().replaceFirst("^[^:]*:", "");
            place = new Place(delivery.destination(), off ? "channel " + name + ", no URL" : Urls.redact(delivery.url()),
                    off, destination.equals(ChannelKind.SLACK.word()) ? SlackText.of(body) : null, json(body));
        } else {
            place = switch (destination) {
                case Backends.DESTINATION -> new Place(Backends.DESTINATION, Urls.redact(delivery.url()),
                        false, null, json(delivery.body()));
                case "http" -> delivery.url() == null
                        ? new Place("http", "nowhere: header DeliverTo is not set, so the post would fail", false,
                                null, json(delivery.body()))
                        : new Place(delivery.url(), Urls.redact(delivery.url()), false, null, json(delivery.body()));
                default -> new Place(delivery.destination(), Urls.redact(delivery.url()), false, null,
                        json(delivery.body()));
            };
        }
        recording.places.add(place);
    }

    /**
     * A send to any other endpoint (a file, Kafka, HTTP...). It is named by the route that sends it when a rule
     * calls that route (alert-file), else by the endpoint.
     */
    private void endpointSend(Exchange exchange, Endpoint endpoint) {
        String route = exchange.getUnitOfWork() == null || exchange.getUnitOfWork().getRoute() == null ? null
                : exchange.getUnitOfWork().getRoute().getRouteId();
        String uri = URISupport.sanitizeUri(endpoint.getEndpointUri());
        String to = uri.replace(scratch.toString(), dataDir);
        if (endpoint instanceof GenericFileEndpoint<?> file) {
            String fileName = file.getFileName() == null ? exchange.getExchangeId()
                    : file.getFileName().evaluate(exchange, String.class);
            to = Path.of(file.getConfiguration().getDirectory()).resolve(fileName).toString()
                    .replace(scratch.toString(), dataDir);
        }
        String label = route != null && !ruleRoutes.contains(route) && isDirectRoute(route) ? route
                : uri.replaceFirst("\\?.*", "").replace("://", ":").replace(scratch.toString(), dataDir);
        recording.places.add(new Place(label, to, false, null, bodyText(exchange)));
    }

    private boolean isDirectRoute(String routeId) {
        RouteDefinition route = context.getRouteDefinition(routeId);
        return route != null && route.getInput().getEndpointUri().startsWith("direct:");
    }

    private RouteDefinition routeFrom(String uriStart) {
        return context.getRouteDefinitions().stream()
                .filter(route -> route.getInput().getEndpointUri().startsWith(uriStart)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no route reads " + uriStart + " in the route files"));
    }

    /** The rules of a route, and the file they are in, to name the one that matched. */
    private record Rules(String file, ChoiceRules choice) {

        RuleMatch match(Exchange exchange) {
            return choice.match(exchange).map(rule -> new RuleMatch(file, rule.position(), rule.id(),
                    rule.condition(), rule.line())).orElse(new RuleMatch(file, 0, null, "otherwise", 0));
        }
    }

    /**
     * A channel that is off (no URL; PagerDuty without a routing key) is shown, marked off: in the scratch run it
     * posts to an address of its kind that stands for none.
     */
    private void offChannelsStandIn(Properties scratchSettings) {
        PropertiesComponent settings = (PropertiesComponent) context.getPropertiesComponent();
        for (Object key : settings.loadProperties(k -> k.equals("slack.webhook-url")
                || k.startsWith("slack.channels.") && k.endsWith(".webhook-url")).keySet()) {
            if (settings.resolveProperty(key.toString()).orElse("").isBlank()) {
                scratchSettings.put(key, ChannelKind.SLACK.placeholder());
            }
        }
        for (Object key : settings.loadProperties(k -> k.startsWith("channels.") && k.endsWith(".type")).keySet()) {
            String channel = key.toString().substring(0, key.toString().length() - ".type".length());
            Optional<ChannelKind> kind = ChannelKind.of(settings.resolveProperty(key.toString()).orElse(""));
            if (kind.isEmpty()) {
                continue; // the channel check names the mistake
            }
            boolean noUrl = settings.resolveProperty(channel + ".url").orElse("").isBlank()
                    && kind.get().defaultUrl().isEmpty();
            boolean noKey = kind.get().secret() == ChannelKind.Secret.ROUTING_KEY
                    && settings.resolveProperty(channel + ".secret").orElse("").isBlank();
            if (noUrl || noKey) {
                scratchSettings.put(channel + ".url", kind.get().placeholder());
            }
            if (noKey) {
                scratchSettings.put(channel + ".secret", "none");
            }
        }
    }

    private static String bodyText(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (body instanceof String || body instanceof byte[] || body instanceof InputStream) {
            return exchange.getIn().getBody(String.class);
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body);
        } catch (IOException e) {
            return String.valueOf(body);
        }
    }

    /** JSON pretty-printed for a reader; anything else as it is. */
    private static String json(String text) {
        try {
            JsonNode tree = Json.MAPPER.readTree(text);
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (IOException | RuntimeException e) {
            return text;
        }
    }

    private static void copySilences(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    /**
     * An endpoint of the outside world (a file, Kafka, HTTP...) whose sends are only recorded: unlike an intercept,
     * it never makes the real producer, so no client is made and nothing connects.
     */
    private static final class Recorded extends DefaultEndpoint {

        private final Endpoint original;
        private final Processor recorder;

        Recorded(Endpoint original, Processor recorder) {
            super(original.getEndpointUri(), original.getComponent());
            this.original = original;
            this.recorder = recorder;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) throws Exception {
                    recorder.process(exchange);
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            return original.createConsumer(processor);
        }
    }

    /** What one callback did in the scratch routes. */
    private static final class Recording {

        private final Map<String, String> headers;
        private final List<Object> handedOff = new ArrayList<>();
        private final List<Place> places = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private RuleMatch decision;
        private RuleMatch rule;
        private String upstream;
        private String severity;
        private String silencedBy;

        Recording(Map<String, String> headers) {
            this.headers = headers == null ? Map.of() : headers;
        }

        void rules(Exchange exchange, Rules rules) {
            headers.forEach(exchange.getIn()::setHeader);
            rule = rules.match(exchange);
            severity = exchange.getIn().getHeader(AlertClassifier.SEVERITY, String.class);
            silencedBy = exchange.getIn().getHeader(Silences.SILENCED_BY, String.class);
        }
    }
}
