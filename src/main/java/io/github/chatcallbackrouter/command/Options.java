package io.github.chatcallbackrouter.command;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A command's {@code --name value} options and {@code --flag}s; anything else is a usage mistake. */
final class Options {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Options() {
    }

    /**
     * @throws IllegalArgumentException naming the first option that is unknown, or has no value
     */
    static Options parse(List<String> args, Set<String> valued, Set<String> flagNames) {
        Options options = new Options();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.startsWith("--") ? arg.substring(2) : null;
            if (name != null && flagNames.contains(name)) {
                options.flags.add(name);
            } else if (name != null && valued.contains(name) && i + 1 < args.size()) {
                options.values.put(name, args.get(++i));
            } else if (name != null && valued.contains(name)) {
                throw new IllegalArgumentException(arg + " needs a value");
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return options;
    }

    String get(String name) {
        return values.get(name);
    }

    String getOrDefault(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }
}
