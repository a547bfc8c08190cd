package io.github.chatcallbackrouter.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The real Kafka broker of the tests: the one KAFKA_BOOTSTRAP_SERVERS names (.ci/run starts it with
 * scripts/kafka-local.sh), or else one this class starts with the same script and stops afterwards.
 */
final class KafkaBroker implements AutoCloseable {

    private final String bootstrapServers;
    private final boolean startedHere;

    private KafkaBroker(String bootstrapServers, boolean startedHere) {
        this.bootstrapServers = bootstrapServers;
        this.startedHere = startedHere;
    }

    static KafkaBroker get() throws IOException, InterruptedException {
        String given = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (given != null && !given.isBlank()) {
            return new KafkaBroker(given, false);
        }
        String line = script("start");
        return new KafkaBroker(line.substring(line.indexOf('=') + 1).trim(), true);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    void createTopic(String name, int partitions) throws Exception {
        Properties settings = new Properties();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(settings)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Members of the consumer group that have partitions assigned. */
    int assignedMembers(String groupId) throws Exception {
        Properties settings = new Properties();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(settings)) {
            return (int) admin.describeConsumerGroups(List.of(groupId)).all().get(30, TimeUnit.SECONDS)
                    .get(groupId).members().stream()
                    .filter(member -> !member.assignment().topicPartitions().isEmpty()).count();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (startedHere) {
            script("stop");
        }
    }

    private static String script(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "scripts/kafka-local.sh", command)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("scripts/kafka-local.sh " + command + " failed: " + output);
        }
        return output.lines().reduce((first, last) -> last).orElse("");
    }

    static Map<String, String> routerSettings(KafkaBroker broker, String run) {
        return Map.of(
                "ROUTER_MODE", "kafka",
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "KAFKA_TOPIC_ALERTS", "it-alerts-" + run,
                "KAFKA_TOPIC_DELIVERED", "it-delivered-" + run,
                "KAFKA_GROUP_ID", "it-" + run);
    }
}
