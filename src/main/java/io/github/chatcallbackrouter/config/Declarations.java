package io.github.chatcallbackrouter.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The router's settings, each declared once, in the application.properties inside the jar: its section (a
 * {@code # --- Title ---} line), what it does (the comment above it), its {@link Kind} (the {@code #:} line), its
 * key, environment variable and default (the {@code {{env:NAME:default}}} value). {@code validate} checks values
 * against the kinds and reports keys that are not declared, {@code --help} lists them, the secret ones are never
 * printed, and docs/configuration.md shows them (a test keeps it in step).
 */
public final class Declarations {

    /** One setting; {@code env} is null for a setting no variable overrides. */
    public record Setting(String section, String key, String env, String defaultValue, Kind kind, String meaning) {
    }

    private static final Pattern SETTING = Pattern.compile("^([a-z][\\w.-]*)\\s*=\\s*(.*)$");
    private static final Pattern ENV = Pattern.compile("^\\{\\{env:([A-Za-z0-9_]+):(.*)}}$");
    private static final List<Setting> ALL = load();

    private Declarations() {
    }

    /** Every declared setting, in the file's order. */
    public static List<Setting> all() {
        return ALL;
    }

    public static Optional<Setting> find(String key) {
        return ALL.stream().filter(setting -> setting.key().equals(key)).findFirst();
    }

    /** The keys whose values are never printed. */
    public static List<String> secretKeys() {
        return ALL.stream().filter(setting -> setting.kind().secret()).map(Setting::key).toList();
    }

    private static List<Setting> load() {
        String text;
        try (InputStream in = Declarations.class.getResourceAsStream("/defaults/application.properties")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the jar's application.properties cannot be read", e);
        }
        List<Setting> settings = new ArrayList<>();
        String section = "";
        StringBuilder meaning = new StringBuilder();
        Kind kind = null;
        for (String line : text.lines().toList()) {
            Matcher setting = SETTING.matcher(line.strip());
            if (line.startsWith("# ---")) {
                section = line.replaceAll("^# -+ ?| ?-+$", "").strip();
                meaning.setLength(0);
            } else if (line.startsWith("#: ")) {
                kind = Kind.parse(line.substring(3));
            } else if (line.startsWith("# ")) {
                meaning.append(meaning.isEmpty() ? "" : " ").append(line.substring(2).strip());
            } else if (setting.matches()) {
                if (kind == null) {
                    throw new IllegalStateException("application.properties: " + setting.group(1) + " has no #: line");
                }
                Matcher env = ENV.matcher(setting.group(2));
                settings.add(new Setting(section, setting.group(1), env.matches() ? env.group(1) : null,
                        env.matches() ? env.group(2) : setting.group(2), kind, meaning.toString()));
                meaning.setLength(0);
                kind = null;
            } else if (line.isBlank()) {
                meaning.setLength(0);
            }
        }
        return List.copyOf(settings);
    }
}
