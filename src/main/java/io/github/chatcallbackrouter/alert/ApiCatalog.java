package io.github.chatcallbackrouter.alert;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tencent Cloud Chat's REST APIs with their human names and documented call-frequency limits (each API's page, from
 * https://www.tencentcloud.com/document/product/1047/60256), keyed by the REST path {@code ServiceName/Command} that
 * an over-limit alarm names.
 */
public final class ApiCatalog {

    private static final String RESOURCE = "/catalog/rest-api-limits.tsv";
    private static final ApiCatalog INSTANCE = load();

    private final Map<String, Api> apis;

    /**
     * @param path            {@code ServiceName/Command}, e.g. {@code openim/batchsendmsg}
     * @param name            what the API does, as Tencent's docs title it
     * @param documentedLimit the docs' wording of the limit, e.g. {@code 200/s}
     * @param qpsLimit        the per-second limit, or null when the docs give another kind of limit
     */
    public record Api(String path, String name, String documentedLimit, Integer qpsLimit) {
    }

    private ApiCatalog(Map<String, Api> apis) {
        this.apis = Collections.unmodifiableMap(apis);
    }

    public static ApiCatalog get() {
        return INSTANCE;
    }

    public Optional<Api> find(String serviceName, String command) {
        return Optional.ofNullable(apis.get(serviceName + "/" + command));
    }

    public int size() {
        return apis.size();
    }

    private static ApiCatalog load() {
        Map<String, Api> apis = new LinkedHashMap<>();
        try (InputStream in = ApiCatalog.class.getResourceAsStream(RESOURCE);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                Integer qps = columns[3].isEmpty() ? null : Integer.valueOf(columns[3]);
                apis.put(columns[0], new Api(columns[0], columns[1], columns[2], qps));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new ApiCatalog(apis);
    }
}
