package io.github.chatcallbackrouter.callback;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The documented webhook command words (https://www.tencentcloud.com/document/product/1047/34355 and each word's
 * page), with their kind (before/after), their shape (one event, an alarm, a batch of events) and title. Words are
 * matched exactly as Tencent spells them.
 */
public final class CommandCatalog {

    public static final String BEFORE = "before";
    public static final String AFTER = "after";

    private static final String RESOURCE = "/catalog/callback-commands.tsv";
    private static final CommandCatalog INSTANCE = load();

    private final Map<String, Command> commands;

    /** The shapes of a command's body. */
    public enum Shape {
        /** One event. */
        EVENT,
        /** An alarm: kept before the answer and sent to the channels. */
        ALARM,
        /** A batch of "Events" (1 to 100), answered once. */
        BATCHED
    }

    public record Command(String word, String kind, Shape shape, String title) {
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

    /** Whether the word is one of the alarms. */
    public boolean isAlarm(String word) {
        Command known = commands.get(word);
        return known != null && known.shape() == Shape.ALARM;
    }

    /** Whether the word's body is a batch of Events. */
    public boolean isBatched(String word) {
        Command known = commands.get(word);
        return known != null && known.shape() == Shape.BATCHED;
    }

    /**
     * The catalog word a word that is not one nearly is: the same letters in another case, or with '_' or '-' for
     * '.' ({@code alert.requestoverlimit}). Chat never sends such a word; a hand-made caller or a proxy may.
     */
    public Optional<String> nearMiss(String word) {
        if (word == null || commands.containsKey(word)) {
            return Optional.empty();
        }
        String loose = loose(word);
        return commands.keySet().stream().filter(known -> loose(known).equals(loose)).findFirst();
    }

    private static String loose(String word) {
        return word.replace('_', '.').replace('-', '.').toLowerCase(Locale.ROOT);
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
                commands.put(columns[0], new Command(columns[0], columns[1],
                        Shape.valueOf(columns[2].toUpperCase(Locale.ROOT)), columns[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new CommandCatalog(commands);
    }
}
