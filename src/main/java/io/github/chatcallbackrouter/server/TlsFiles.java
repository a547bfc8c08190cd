package io.github.chatcallbackrouter.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.SSLOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import org.apache.camel.CamelContext;
import org.apache.camel.util.TimeUtils;

/**
 * The callback port's HTTPS, from files (router.tls.*): a PEM certificate chain and key, or a PKCS#12 keystore, and
 * for mutual TLS a CA whose certificates callers must present. Off when no file is given: plain HTTP, the default.
 * The files are looked at every router.tls.reload-check; when one has changed, new connections get the new
 * certificate (or CA), so a renewed certificate needs no restart.
 *
 * @param reloadCheckMillis how often the files are looked at
 */
public record TlsFiles(String certFile, String keyFile, String keystoreFile, String keystorePassword, String clientCaFile,
                long reloadCheckMillis) {

    /** The settings, checked: a mistake is an IllegalArgumentException naming the setting. */
    public static TlsFiles of(CamelContext context) {
        TlsFiles tls = new TlsFiles(setting(context, "router.tls.cert-file"), setting(context, "router.tls.key-file"),
                setting(context, "router.tls.keystore-file"), setting(context, "router.tls.keystore-password"),
                setting(context, "router.tls.client-ca-file"),
                TimeUtils.toMilliSeconds(setting(context, "router.tls.reload-check")));
        tls.check();
        return tls;
    }

    /** Whether the port speaks HTTPS. */
    boolean on() {
        return !certFile.isEmpty() || !keystoreFile.isEmpty();
    }

    /** Whether callers must present a certificate. */
    boolean mutual() {
        return !clientCaFile.isEmpty();
    }

    /** The server's options with HTTPS (and client certificates) as the files say; unchanged when off. */
    HttpServerOptions applyTo(HttpServerOptions options) {
        if (!on()) {
            return options;
        }
        options.setSsl(true).setKeyCertOptions(keyCert());
        if (mutual()) {
            options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(clientCaFile));
        }
        return options;
    }

    /** The TLS options as the files say now, for a running server to take up. */
    SSLOptions sslOptions() {
        SSLOptions ssl = new SSLOptions().setKeyCertOptions(keyCert());
        if (mutual()) {
            ssl.setTrustOptions(new PemTrustOptions().addCertPath(clientCaFile));
        }
        return ssl;
    }

    /**
     * Why the files cannot be served as they are now, or null: a key that is not the certificate's is what a renewal
     * leaves for a moment when one file of the pair is replaced before the other, and every handshake would fail.
     */
    String unusable(Vertx vertx) {
        try {
            for (KeyManager manager : keyCert().getKeyManagerFactory(vertx).getKeyManagers()) {
                if (manager instanceof X509KeyManager keys) {
                    for (String type : List.of("RSA", "EC", "EdDSA")) {
                        String[] aliases = keys.getServerAliases(type, null);
                        for (String alias : aliases == null ? new String[0] : aliases) {
                            X509Certificate[] chain = keys.getCertificateChain(alias);
                            if (!pair(keys.getPrivateKey(alias), chain[0].getPublicKey())) {
                                return "the private key is not the certificate's (" + chain[0]
                                        .getSubjectX500Principal().getName() + ")";
                            }
                        }
                    }
                }
            }
            return null;
        } catch (Exception e) {
            return "they cannot be read: " + e.getMessage();
        }
    }

    /** Whether a signature made with the key is verified by the public key. */
    private static boolean pair(PrivateKey key, PublicKey certified) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] challenge = "chat-callback-router".getBytes(StandardCharsets.US_ASCII);
        Signature signing = Signature.getInstance(algorithm);
        signing.initSign(key);
        signing.update(challenge);
        byte[] signature = signing.sign();
        Signature verifying = Signature.getInstance(algorithm);
        verifying.initVerify(certified);
        verifying.update(challenge);
        return verifying.verify(signature);
    }

    /** What the files are now (their sizes and times), to tell when one has changed. */
    String fingerprint() {
        StringBuilder print = new StringBuilder();
        for (String file : files()) {
            try {
                Path path = Path.of(file);
                print.append(file).append(Files.size(path)).append(Files.getLastModifiedTime(path).toMillis());
            } catch (IOException e) {
                print.append(file).append("missing");
            }
        }
        return print.toString();
    }

    /** "HTTPS" or "HTTPS, client certificates from the CA in ..." for the start-up summary. */
    String describe() {
        if (!on()) {
            return "plain HTTP";
        }
        return "HTTPS (" + (keystoreFile.isEmpty() ? certFile : keystoreFile) + ")" + (mutual()
                ? ", callers must present a certificate signed by the CA in " + clientCaFile : "");
    }

    private KeyCertOptions keyCert() {
        return keystoreFile.isEmpty() ? new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile)
                : new PfxOptions().setPath(keystoreFile).setPassword(keystorePassword);
    }

    private List<String> files() {
        List<String> files = new ArrayList<>(List.of(certFile, keyFile, keystoreFile, clientCaFile));
        files.removeIf(String::isEmpty);
        return files;
    }

    private void check() {
        if (certFile.isEmpty() != keyFile.isEmpty()) {
            throw new IllegalArgumentException("router.tls.cert-file and router.tls.key-file go together: give both,"
                    + " or neither");
        }
        if (!certFile.isEmpty() && !keystoreFile.isEmpty()) {
            throw new IllegalArgumentException("router.tls.keystore-file is given with router.tls.cert-file: give the"
                    + " PEM files or the keystore, not both");
        }
        if (!on() && mutual()) {
            throw new IllegalArgumentException("router.tls.client-ca-file needs HTTPS: give router.tls.cert-file and"
                    + " router.tls.key-file (or router.tls.keystore-file) too");
        }
        for (String file : files()) {
            if (!Files.isReadable(Path.of(file))) {
                throw new IllegalArgumentException("router.tls.*: " + file + " cannot be read");
            }
        }
        if (reloadCheckMillis <= 0) {
            throw new IllegalArgumentException("router.tls.reload-check must be above 0");
        }
    }

    private static String setting(CamelContext context, String key) {
        return Objects.requireNonNullElse(context.getPropertiesComponent().resolveProperty(key).orElse(null), "")
                .trim();
    }

    /** Never the keystore's password. */
    @Override
    public String toString() {
        return "TlsFiles[" + describe() + "]";
    }
}
