package io.github.chatcallbackrouter.decide;

import io.github.chatcallbackrouter.callback.CallbackEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A list of words no message may contain, one per line of a file the operator edits (# starts a comment). The file
 * is read again when it changes (looked at no more than once a second), so a saved edit takes effect without a
 * restart. Words and messages are compared as a person reads them ({@link ReadableText}): case, width, accents,
 * invisible characters, look-alike letters and runs of spaces make no difference.
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

    /**
     * Whether the message contains a listed word, as a person reads it ({@link ReadableText}): in any text field of
     * any element, in its CloudCustomData, or across its text elements (a word split over two of them).
     */
    public boolean matches(CallbackEvent event) {
        if (System.nanoTime() - lookedAt > LOOK_EVERY_NANOS) {
            reloadIfChanged();
        }
        List<String> banned = words;
        if (banned.isEmpty()) {
            return false;
        }
        List<String> texts = new ArrayList<>(MessageTexts.all(event.payload()));
        List<String> message = MessageTexts.messageText(event.payload());
        texts.add(String.join("", message));
        texts.add(String.join(" ", message));
        for (String text : texts) {
            String readable = ReadableText.of(text);
            for (String word : banned) {
                if (readable.contains(word)) {
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
                    .map(ReadableText::of)
                    .filter(word -> !word.isEmpty())
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
}
