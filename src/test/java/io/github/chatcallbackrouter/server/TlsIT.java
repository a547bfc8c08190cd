package io.github.chatcallbackrouter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.chatcallbackrouter.LogCapture;
import io.github.chatcallbackrouter.RunningRouter;
import io.github.chatcallbackrouter.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callback port over HTTPS from PEM files (test certificates in src/test/resources/tls): callbacks are
 * answered over TLS and plain HTTP is not; a certificate swapped while the router runs is served to the next
 * connections; with mutual TLS, a caller without a certificate the CA signed is refused.
 */
class TlsIT {

    @TempDir
    Path work;

    private Path fixture(String name) throws IOException {
        Path copy = work.resolve(name);
        try (InputStream in = TlsIT.class.getResourceAsStream("/tls/" + name)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    private RunningRouter router(Map<String, String> tls) throws Exception {
        Map<String, String> settings = new HashMap<>(tls);
        settings.put("router.tls.cert-file", fixture("server-a.pem").toString());
        settings.put("router.tls.key-file", fixture("server-a.key").toString());
        settings.put("router.tls.reload-check", "200ms");
        return RunningRouter.start(work.resolve("data"), "", settings);
    }

    /** A client that trusts the test CA, with this client certificate (null: none). */
    private static HttpClient client(String certificate) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream ca = TlsIT.class.getResourceAsStream("/tls/ca.pem")) {
            trusted.setCertificateEntry("ca", x509.generateCertificate(ca));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore own = KeyStore.getInstance("PKCS12");
        own.load(null, null);
        if (certificate != null) {
            Certificate cert;
            try (InputStream in = TlsIT.class.getResourceAsStream("/tls/" + certificate + ".pem")) {
                cert = x509.generateCertificate(in);
            }
            own.setKeyEntry("me", privateKey("/tls/" + certificate + ".key"), new char[0], new Certificate[] {cert});
        }
        keys.init(own, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        // a new client, and so new connections, each time: a swapped certificate is seen by new connections
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static PrivateKey privateKey(String resource) throws Exception {
        try (InputStream in = TlsIT.class.getResourceAsStream(resource)) {
            String pem = new String(in.readAllBytes()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        }
    }

    private static HttpResponse<String> callback(HttpClient client, RunningRouter router) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(router.signedUrl("State.StateChange")
                        .replace("http://", "https://")))
                .POST(HttpRequest.BodyPublishers.ofString(Samples.body("State.StateChange"))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String servedName(HttpResponse<?> response) throws Exception {
        X509Certificate served = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
        return served.getSubjectX500Principal().getName();
    }

    @Test
    void callbacksAreAnsweredOverHttpsAndARenewedCertificateIsServedWithoutARestart() throws Exception {
        try (LogCapture logs = new LogCapture(); RunningRouter router = router(Map.of())) {
            HttpResponse<String> answer = callback(client(null), router);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(servedName(answer)).isEqualTo("CN=router-a");
            assertThatThrownBy(() -> router.post("State.StateChange", "{}")).as("plain HTTP is not spoken")
                    .isInstanceOf(IOException.class);

            // a renewed certificate: the files are replaced, the router keeps running
            Files.copy(TlsIT.class.getResourceAsStream("/tls/server-b.key"), work.resolve("server-a.key"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.copy(TlsIT.class.getResourceAsStream("/tls/server-b.pem"), work.resolve("server-a.pem"),
                    StandardCopyOption.REPLACE_EXISTING);

            // taken up at the next look at the files: connections from then on get it
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.lines().stream().anyMatch(line ->
                    line.contains("certificate files changed: new connections get them")));
            assertThat(servedName(callback(client(null), router))).isEqualTo("CN=router-b");
        }
    }

    @Test
    void aKeyReplacedBeforeItsCertificateIsNotServedUntilThePairMatches() throws Exception {
        try (LogCapture logs = new LogCapture(); RunningRouter router = router(Map.of())) {
            Files.copy(TlsIT.class.getResourceAsStream("/tls/server-b.key"), work.resolve("server-a.key"),
                    StandardCopyOption.REPLACE_EXISTING);

            await().atMost(Duration.ofSeconds(10)).until(() -> logs.lines().stream().anyMatch(line ->
                    line.contains("certificate files changed but the private key is not the certificate's")));
            assertThat(servedName(callback(client(null), router))).as("the pair before").isEqualTo("CN=router-a");

            Files.copy(TlsIT.class.getResourceAsStream("/tls/server-b.pem"), work.resolve("server-a.pem"),
                    StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.lines().stream().anyMatch(line ->
                    line.contains("certificate files changed: new connections get them")));
            assertThat(servedName(callback(client(null), router))).isEqualTo("CN=router-b");
        }
    }

    @Test
    void withMutualTlsOnlyACallerWithACertificateTheCaSignedIsAnswered() throws Exception {
        try (RunningRouter router = router(Map.of("router.tls.client-ca-file", fixture("ca.pem").toString()))) {
            assertThat(callback(client("client"), router).statusCode()).isEqualTo(200);

            assertThatThrownBy(() -> callback(client(null), router)).as("no client certificate")
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> callback(client("stranger"), router)).as("a certificate the CA did not sign")
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aPkcs12KeystoreServesTheSame() throws Exception {
        try (RunningRouter router = RunningRouter.start(work.resolve("data"), "", Map.of(
                "router.tls.keystore-file", fixture("server-a.p12").toString(),
                "router.tls.keystore-password", "changeit"))) {
            HttpResponse<String> answer = callback(client(null), router);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(servedName(answer)).isEqualTo("CN=router-a");
        }
    }
}
