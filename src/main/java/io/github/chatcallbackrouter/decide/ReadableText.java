package io.github.chatcallbackrouter.decide;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Text as a person reads it, for the decision rules to match what the reader sees rather than the bytes: Unicode
 * compatibility forms folded (NFKC: a full-width "ＳＰＡＭ" is "spam"), accents and other combining marks taken off,
 * invisible characters taken out (zero-width spaces and joiners, soft hyphens, every format character), letters
 * that look Latin read as Latin (catalog/confusables.tsv: a Cyrillic "а" is "a"), case folded, and any run of
 * spaces, tabs and line breaks read as one space.
 */
final class ReadableText {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern INVISIBLE = Pattern.compile("\\p{Cf}+");
    private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");
    private static final Map<Integer, String> CONFUSABLES = load();

    private ReadableText() {
    }

    /** The text as the rules compare it. */
    static String of(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKD);
        folded = MARKS.matcher(folded).replaceAll("");
        folded = INVISIBLE.matcher(folded).replaceAll("");
        folded = Normalizer.normalize(folded, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder read = new StringBuilder(folded.length());
        folded.codePoints().forEach(c -> {
            String latin = CONFUSABLES.get(c);
            if (latin != null) {
                read.append(latin);
            } else {
                read.appendCodePoint(c);
            }
        });
        return SPACES.matcher(read).replaceAll(" ").strip();
    }

    /** Whether a character takes no room on screen: a reader does not see it between two digits or letters. */
    static boolean invisible(char c) {
        return Character.getType(c) == Character.FORMAT;
    }

    private static Map<Integer, String> load() {
        Map<Integer, String> table = new HashMap<>();
        try (InputStream in = ReadableText.class.getResourceAsStream("/catalog/confusables.tsv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] columns = line.split("\t");
                    table.put(columns[0].codePointAt(0), columns[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalog/confusables.tsv", e);
        }
        return Map.copyOf(table);
    }
}
