package io.github.chatcallbackrouter.decide;

import io.github.chatcallbackrouter.callback.CallbackEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A list of words no message may contain, one per line of a file the operator edits (# starts a comment). The file
 * is read again when it changes (looked at no more than once a second), so a saved edit takes effect without a
 * restart. Matching ignores case and width (NFKC: a full-width "ＳＰＡＭ" is "spam").
 */
public final class BannedWords {

    private static final Logger LOG = LoggerFactory.getLogger(BannedWords.class);
    private static final long LOOK_EVERY_NANOS = 1_000_000_000L;

    private Path file;
    private volatile List<String> words = List.of();
    private volatile long lookedAt;
    private volatile long modified = Long.MIN_VALUE;

    /** The list's file, e.g. routes/banned-words.txt; a missing file is an empty list. */
    public void setFile(String file) {
        this.file = Path.of(file);
        reloadIfChanged();
    }

    /** Whether any text element of the message contains a listed word. */
    public boolean matches(CallbackEvent event) {
        if (System.nanoTime() - lookedAt > LOOK_EVERY_NANOS) {
            reloadIfChanged();
        }
        List<String> banned = words;
        if (banned.isEmpty()) {
            return false;
        }
        for (String text : MessageTexts.of(event)) {
            String normal = normal(text);
            for (String word : banned) {
                if (normal.contains(word)) {
                    return true;
                }
            }
        }
        return false;
    }

    private synchronized void reloadIfChanged() {
        lookedAt = System.nanoTime();
        long now;
        try {
            now = Files.getLastModifiedTime(file).toMillis();
        } catch (NoSuchFileException missing) {
            now = Long.MIN_VALUE + 1;
        } catch (IOException e) {
            return;
        }
        if (now == modified) {
            return;
        }
        boolean first = modified == Long.MIN_VALUE;
        modified = now;
        try {
            words = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(BannedWords::normal)
                    .toList();
        } catch (NoSuchFileException missing) {
            words = List.of();
        } catch (IOException e) {
            LOG.error("Cannot read the banned words in {}: {}; the previous list stays", file, e.getMessage());
            return;
        }
        if (first) {
            LOG.debug("{} banned words from {}", words.size(), file);
        } else {
            LOG.info("{} banned words from {}, read again after it changed", words.size(), file);
        }
    }

    private static String normal(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }
}
