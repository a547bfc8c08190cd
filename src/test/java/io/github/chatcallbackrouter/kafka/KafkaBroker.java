package io.github.chatcallbackrouter.kafka;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The real Kafka broker of the tests: the one KAFKA_BOOTSTRAP_SERVERS names (.ci/run starts it with
 * scripts/kafka-local.sh), or else one this class starts with the same script and stops afterwards.
 */
final class KafkaBroker implements AutoCloseable {

    private final String bootstrapServers;
    private final boolean startedHere;
    private final Map<String, String> environment;

    private KafkaBroker(String bootstrapServers, boolean startedHere, Map<String, String> environment) {
        this.bootstrapServers = bootstrapServers;
        this.startedHere = startedHere;
        this.environment = environment;
    }

    static KafkaBroker get() throws IOException, InterruptedException {
        String given = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (given != null && !given.isBlank()) {
            return new KafkaBroker(given, false, Map.of());
        }
        String line = script("start", Map.of());
        return new KafkaBroker(line.substring(line.indexOf('=') + 1).trim(), true, Map.of());
    }

    /** A broker of the test's own, on free ports in its own directory, that the test may stop at any time. */
    static KafkaBroker startPrivate(java.nio.file.Path directory) throws IOException, InterruptedException {
        Map<String, String> environment = Map.of(
                "KAFKA_PORT", String.valueOf(org.apache.camel.test.AvailablePortFinder.getNextAvailable()),
                "KAFKA_CONTROLLER_PORT", String.valueOf(org.apache.camel.test.AvailablePortFinder.getNextAvailable()),
                "KAFKA_LOCAL_DIR", directory.toAbsolutePath().toString());
        String line = script("start", environment);
        return new KafkaBroker(line.substring(line.indexOf('=') + 1).trim(), true, environment);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates the topic and waits until a consumer sees all its partitions: a client that asks sooner gets none
     * (the delivered-ids store then fails to start with "Target offsets must be non-empty").
     */
    void createTopic(String name, int partitions) throws Exception {
        Properties settings = new Properties();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(settings)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Properties consumer = new Properties();
        consumer.put("bootstrap.servers", bootstrapServers);
        consumer.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        consumer.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> reader =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(consumer)) {
            await("a leader for each partition of " + name).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> reader.partitionsFor(name).stream().filter(p -> p.leader() != null).count()
                            == partitions);
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

    /** A private broker started again after {@link #close}, on its ports, with what it held. */
    void restart() throws IOException, InterruptedException {
        script("start", environment);
    }

    /** Stops a broker this class started; a private one's port refuses connections once this returns. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (startedHere) {
            script("stop", environment);
        }
        if (environment.containsKey("KAFKA_PORT")) {
            // its process may outlive the script's stop by a moment
            int port = Integer.parseInt(environment.get("KAFKA_PORT"));
            await("the broker's port closed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        try (Socket probe = new Socket("127.0.0.1", port)) {
                            return false;
                        } catch (IOException refused) {
                            return true;
                        }
                    });
        }
    }

    /** Records of the topic its consumer group has not committed yet (all of them before the group commits any). */
    long lag(String groupId, String topic) throws Exception {
        Properties settings = new Properties();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(settings)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (TopicPartitionInfo partition : admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic).partitions()) {
                ends.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
            }
            long lag = 0;
            for (var end : admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        }
    }

    private static String script(String command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "scripts/kafka-local.sh", command)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        Process process = builder.start();
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
