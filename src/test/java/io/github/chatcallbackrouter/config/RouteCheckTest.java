package io.github.chatcallbackrouter.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Credentials written into a route file's URL are refused, named by line, and never repeated in the problem. */
class RouteCheckTest {

    @Test
    void aUrlWithCredentialsIsAProblemOfItsLineAndACommentIsNot() {
        String routes = """
                # e.g. https://user:example@hooks.example/x, in a comment: no problem
                - route:
                    from:
                      uri: direct:x
                      steps:
                        - setHeader:
                            name: DeliverTo
                            constant: "https://ops:hunter2@hooks.example/alerts/in/x"
                        - to: "https://hooks.example/a@b/c"
                """;

        assertThat(RouteCheck.credentialsInUrls(routes)).singleElement().asString()
                .startsWith("line 8: the URL https://hooks.example/alerts/in/… carries credentials")
                .doesNotContain("hunter2");
    }
}
