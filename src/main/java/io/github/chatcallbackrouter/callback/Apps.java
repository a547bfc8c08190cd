package io.github.chatcallbackrouter.callback;

import io.github.chatcallbackrouter.support.ContextServices;
import io.github.chatcallbackrouter.support.DidYouMean;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The Chat apps this router serves, each declared once: {@code apps.NAME.sdkappid}, its own
 * {@code apps.NAME.callback-token}, its own backend ({@code apps.NAME.upstream.url} and the other per-backend
 * {@code upstream.*} settings) and its own {@code apps.NAME.alerts.channels}. What an app does not set comes from
 * the global setting of the same name ({@code tencent.callback-token}, {@code upstream.url}, {@code alerts.channels}),
 * so one app's settings need no {@code apps.*} at all: with none declared, each SDKAppID of {@code tencent.sdkappid}
 * is an app, named by its SDKAppID, with the global settings. A declared app needs a token (its own or the global
 * one): several apps are run with authentication on. Checked once, at start; nothing here prints a token.
 */
public final class Apps extends ServiceSupport implements CamelContextAware {

    /** What a metric calls a callback whose SDKAppID no app declares. */
    public static final String UNKNOWN = "unknown";
    private static final String PREFIX = "apps.";
    private static final Pattern SETTING = Pattern.compile(Pattern.quote(PREFIX) + "([^.]+)\\.(.+)");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    /** An app's own settings, each falling back to the global key of the same meaning. */
    private static final Map<String, String> FALLBACKS = Map.of(
            "sdkappid", "",
            "callback-token", "tencent.callback-token",
            "upstream.url", "upstream.url",
            "upstream.commands", "upstream.commands",
            "upstream.authorization", "upstream.authorization",
            "upstream.budget-ms", "upstream.budget-ms",
            "upstream.deny-when-down", "upstream.deny-when-down",
            "alerts.channels", "alerts.channels");

    /**
     * One app.
     *
     * @param settings its value of each of its settings ({@code callback-token}, {@code upstream.url}, ...), its
     *                 own or the global one
     */
    public record App(String name, String sdkAppId, Map<String, String> settings) {

        public String token() {
            return settings.get("callback-token");
        }

        /** Its value of an app setting: {@code upstream.url}, {@code alerts.channels}, ... */
        public String setting(String key) {
            return settings.getOrDefault(key, "");
        }

        /** Never its token. */
        @Override
        public String toString() {
            return "App[" + name + ", SDKAppID " + sdkAppId + ", signature check "
                    + (token().isEmpty() ? "off" : "on") + "]";
        }
    }

    private CamelContext camelContext;
    private volatile Map<String, App> bySdkAppId;
    private volatile boolean declared;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Reads and checks the apps: a mistake stops the start, and validate names it. */
    public void check() {
        bySdkAppId = null;
        apps();
    }

    /**
     * Apps given outright rather than read from settings: each SDKAppID one app, named by it, signed with this token
     * (empty: no signature check). What a Kamelet's parameters give.
     */
    public static Apps fixed(String sdkAppIds, String token) {
        Apps apps = new Apps();
        Map<String, App> given = new LinkedHashMap<>();
        for (String id : sdkAppIds.split(",")) {
            String sdkAppId = checkedSdkAppId("sdkAppIds", id.trim());
            if (!sdkAppId.isEmpty()) {
                given.put(sdkAppId, new App(sdkAppId, sdkAppId, Map.of("callback-token", token == null ? ""
                        : token.trim())));
            }
        }
        if (given.isEmpty()) {
            throw new IllegalArgumentException("sdkAppIds: at least one SDKAppID is needed");
        }
        apps.bySdkAppId = Collections.unmodifiableMap(given);
        return apps;
    }

    /** Reads and checks the apps these settings declare, without keeping them: what validate asks. */
    public static void check(CamelContext context) {
        Apps apps = new Apps();
        apps.setCamelContext(context);
        apps.check();
    }

    /** The app of this SDKAppID, when one is declared. */
    public Optional<App> bySdkAppId(String sdkAppId) {
        return sdkAppId == null ? Optional.empty() : Optional.ofNullable(apps().get(sdkAppId));
    }

    /** The app of this name. */
    public Optional<App> byName(String name) {
        return apps().values().stream().filter(app -> app.name().equals(name)).findFirst();
    }

    /** Every app, in the order they are declared (by name). */
    public Collection<App> all() {
        return apps().values();
    }

    /** Whether apps are declared as apps.NAME.* (else each SDKAppID of tencent.sdkappid is one). */
    public boolean declared() {
        apps();
        return declared;
    }

    /** The app name a metric shows for this SDKAppID: a declared app's, else {@value #UNKNOWN} (bounded). */
    public String label(String sdkAppId) {
        return bySdkAppId(sdkAppId).map(App::name).orElse(UNKNOWN);
    }

    /**
     * The apps of this CamelContext, read and checked the first time they are asked for: one per context, whichever
     * route file's bean asks first (the files' beans are made in no set order).
     */
    public static Apps of(CamelContext context) {
        return ContextServices.shared(context, Apps.class, () -> {
            Apps apps = new Apps();
            apps.setCamelContext(context);
            apps.check();
            return apps;
        });
    }

    private Map<String, App> apps() {
        Map<String, App> known = bySdkAppId;
        if (known == null) {
            known = read();
            bySdkAppId = known;
        }
        return known;
    }

    private Map<String, App> read() {
        Map<String, Map<String, String>> declared = declaredSettings();
        this.declared = !declared.isEmpty();
        Map<String, App> apps = new LinkedHashMap<>();
        if (declared.isEmpty()) {
            for (String id : resolve("tencent.sdkappid").split(",")) {
                String sdkAppId = checkedSdkAppId("tencent.sdkappid", id.trim());
                if (!sdkAppId.isEmpty()) {
                    apps.put(sdkAppId, new App(sdkAppId, sdkAppId, settings(Map.of())));
                }
            }
            if (apps.isEmpty()) {
                throw new IllegalArgumentException("tencent.sdkappid: at least one SDKAppID is needed");
            }
            return Collections.unmodifiableMap(apps);
        }
        for (Map.Entry<String, Map<String, String>> app : declared.entrySet()) {
            String name = app.getKey();
            String sdkAppId = checkedSdkAppId(PREFIX + name + ".sdkappid", app.getValue().getOrDefault("sdkappid", ""));
            if (sdkAppId.isEmpty()) {
                throw new IllegalArgumentException(PREFIX + name + ".sdkappid is missing: an app is its SDKAppID");
            }
            App twice = apps.get(sdkAppId);
            if (twice != null) {
                throw new IllegalArgumentException(PREFIX + name + ".sdkappid = " + sdkAppId + " is app "
                        + twice.name() + "'s SDKAppID too: each app has its own");
            }
            App declaredApp = new App(name, sdkAppId, settings(app.getValue()));
            if (declaredApp.token().isEmpty()) {
                throw new IllegalArgumentException(PREFIX + name + ".callback-token is missing (and"
                        + " tencent.callback-token is empty): each app's callbacks are signed with the token its"
                        + " webhook authentication has in Chat's console; set it, with {{env:...}}");
            }
            apps.put(sdkAppId, declaredApp);
        }
        return Collections.unmodifiableMap(apps);
    }

    /** An app's settings: its own, else the global ones. */
    private Map<String, String> settings(Map<String, String> own) {
        Map<String, String> settings = new TreeMap<>();
        FALLBACKS.forEach((key, global) -> {
            if (!key.equals("sdkappid")) {
                settings.put(key, own.containsKey(key) ? own.get(key) : resolve(global));
            }
        });
        return Map.copyOf(settings);
    }

    /** apps.NAME.KEY settings by app name, each name and key checked. */
    private Map<String, Map<String, String>> declaredSettings() {
        Map<String, Map<String, String>> declared = new TreeMap<>();
        Set<String> keys = camelContext.getPropertiesComponent().loadProperties(k -> k.startsWith(PREFIX)).keySet()
                .stream().map(Object::toString).collect(Collectors.toCollection(TreeSet::new));
        for (String key : keys) {
            Matcher parts = SETTING.matcher(key);
            if (!parts.matches() || !NAME.matcher(parts.group(1)).matches()) {
                throw new IllegalArgumentException(key + ": not an app setting; an app is declared as " + PREFIX
                        + "NAME.sdkappid (NAME in lower case: letters, digits, - and _)");
            }
            String setting = parts.group(2);
            if (!FALLBACKS.containsKey(setting)) {
                throw new IllegalArgumentException(key + ": an app has no setting '" + setting + "'"
                        + DidYouMean.among(setting, FALLBACKS.keySet().stream()) + "; its settings are "
                        + List.copyOf(new TreeSet<>(FALLBACKS.keySet())));
            }
            declared.computeIfAbsent(parts.group(1), name -> new TreeMap<>()).put(setting, resolve(key));
        }
        return declared;
    }

    private static String checkedSdkAppId(String key, String id) {
        if (!id.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(key + ": '" + id + "' is not an SDKAppID (a number)");
        }
        return id;
    }

    private String resolve(String key) {
        return camelContext.getPropertiesComponent().resolveProperty(key).orElse("").trim();
    }
}
