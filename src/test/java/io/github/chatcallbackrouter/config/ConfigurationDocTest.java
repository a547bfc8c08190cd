package io.github.chatcallbackrouter.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.chatcallbackrouter.config.Declarations.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The settings table of docs/configuration.md is the declarations of application.properties, rendered: when a
 * setting is added or changed there, this test fails until the table says the same (the table it expects is
 * written to target/configuration-table.md, ready to paste).
 */
class ConfigurationDocTest {

    static final String BEGIN = "<!-- settings: rendered from application.properties, checked by ConfigurationDocTest -->";
    static final String END = "<!-- end of settings -->";

    @Test
    void theTableIsTheDeclarations() throws Exception {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        String table = table();
        Files.writeString(Path.of("target/configuration-table.md"), table);

        assertThat(doc).contains(BEGIN).contains(END);
        assertThat(doc.substring(doc.indexOf(BEGIN) + BEGIN.length(), doc.indexOf(END)).strip())
                .as("docs/configuration.md's table; the declarations give target/configuration-table.md")
                .isEqualTo(table.strip());
    }

    /** One row per setting a variable overrides: key, variable, default, what it takes, what it does. */
    static String table() {
        StringBuilder table = new StringBuilder("| setting | environment variable | default | takes | meaning |\n"
                + "| --- | --- | --- | --- | --- |\n");
        for (Setting setting : Declarations.all()) {
            if (setting.env() == null) {
                continue;
            }
            table.append("| `").append(setting.key()).append("` | `").append(setting.env()).append("` | ")
                    .append(setting.defaultValue().isEmpty() ? "empty" : "`" + setting.defaultValue() + "`")
                    .append(" | ").append(setting.kind().expected()).append(setting.kind().secret() ? ", secret" : "")
                    .append(" | ").append(setting.meaning().replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }
}
