package io.github.chatcallbackrouter.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A URL in a log line or explain's output keeps its scheme, host and first two path segments, never more: no
 * credentials, no query, no fragment.
 */
class UrlsTest {

    @ParameterizedTest
    @CsvSource({
        "https://hooks.slack.com/services/T000/B000/secret, https://hooks.slack.com/services/T000/…",
        "http://backend.example/cb,                          http://backend.example/…",
        "http://backend.example/tencent/callback?token=x,    http://backend.example/…",
        "http://backend.example/a/b?token=x/y/z,             http://backend.example/…",
        "http://backend.example,                             http://backend.example",
        "http://backend.example?token=x,                     http://backend.example/…",
        "http://backend.example#x,                           http://backend.example/…",
        "http://user:pass@backend.example/cb,                http://backend.example/…",
        "http://user:pass@backend.example,                   http://backend.example",
        "http://user:p@ss@backend.example:8080/a/b/c,        http://backend.example:8080/a/b/…",
        "http://backend.example/a@b/c/d,                     http://backend.example/a@b/c/…",
    })
    void keepsTheHostAndHidesTheRest(String url, String shown) {
        assertThat(Urls.redact(url)).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource({
        "http://user:pass@backend.example/cb, true,  http://backend.example/cb",
        "http://user@backend.example,         true,  http://backend.example",
        "http://backend.example/a@b,          false, http://backend.example/a@b",
        "http://backend.example?x=a@b,        false, http://backend.example?x=a@b",
    })
    void findsAndDropsCredentialsBeforeTheHost(String url, boolean has, String without) {
        assertThat(Urls.hasCredentials(url)).isEqualTo(has);
        assertThat(Urls.withoutCredentials(url)).isEqualTo(without);
    }
}
