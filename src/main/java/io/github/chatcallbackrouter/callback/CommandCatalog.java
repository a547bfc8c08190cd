package io.github.chatcallbackrouter.callback;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The documented webhook command words (https://www.tencentcloud.com/document/product/1047/34355), with their
 * before/after kind and title.
 */
public final class CommandCatalog {

    public static final String BEFORE = "before";
    public static final String AFTER = "after";

    private static final String RESOURCE = "/catalog/callback-commands.tsv";
    private static final CommandCatalog INSTANCE = load();

    private final Map<String, Command> commands;

    public record Command(String word, String kind, String title) {
    }

    private CommandCatalog(Map<String, Command> commands) {
        this.commands = Collections.unmodifiableMap(commands);
    }

    public static CommandCatalog get() {
        return INSTANCE;
    }

    public Map<String, Command> all() {
        return commands;
    }

    /**
     * Before-callbacks let the app block or change the event. Words not in the catalog (Tencent keeps adding them)
     * follow the docs' rule of thumb: a word containing "Before" or "Prev" is a before-callback.
     */
    public String kindOf(String word) {
        Command known = commands.get(word);
        if (known != null) {
            return known.kind();
        }
        return word.contains("Before") || word.contains("Prev") ? BEFORE : AFTER;
    }

    private static CommandCatalog load() {
        Map<String, Command> commands = new LinkedHashMap<>();
        try (InputStream in = CommandCatalog.class.getResourceAsStream(RESOURCE);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                commands.put(columns[0], new Command(columns[0], columns[1], columns[2]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new CommandCatalog(commands);
    }
}
