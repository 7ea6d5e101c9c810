package dev.kvstore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kvstore.client.Entry;
import dev.kvstore.client.KvClient;
import dev.kvstore.client.TransportException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster started by {@code bin/cluster} with TLS by configuration ({@code KV_TLS_CERT/KEY/CA}: Spring
 * Boot SSL bundles), with a CA and a certificate for 127.0.0.1 made here: the client's calls go over https
 * and are refused in plain http; the nodes register https URLs, and a write reaches both replicas, so the
 * coordinator's calls to the nodes went over TLS too (with hostname verification: the certificate names
 * 127.0.0.1). Three coordinators form their group over mutual TLS, and a follower forwards to the leader
 * over https. A client that does not trust the CA cannot connect.
 */
class TlsClusterIT {

    @TempDir
    Path dir;

    @Test
    void clientAndClusterTrafficGoOverTls() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        writeCertificates(tls);
        try (LocalCluster cluster = new LocalCluster(dir.resolve("cluster"), Map.of(
                "KV_TLS_CERT", tls.resolve("cert.pem").toString(),
                "KV_TLS_KEY", tls.resolve("key.pem").toString(),
                "KV_TLS_CA", tls.resolve("ca.pem").toString(),
                "KV_CLUSTER_SECRET", "tls e2e secret " + UUID.randomUUID(),
                "KV_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1"), 3)) {
            cluster.up(2);
            KvClient client = cluster.client();
            String leader = cluster.leader();
            String follower = cluster.coordinators().stream().filter(c -> !c.equals(leader)).findFirst().orElseThrow();

            assertThat(cluster.roles()).as("a group formed over mutual TLS").containsValue("LEADER")
                    .containsEntry(follower, "FOLLOWER");
            assertThat(cluster.client(follower).put("tls/forwarded", "through a follower").created()).isTrue();
            assertThat(client.get("tls/forwarded")).map(Entry::asString).contains("through a follower");

            assertThat(client.baseUri().getScheme()).isEqualTo("https");
            assertThat(client.put("tls/key", "over tls").created()).isTrue();
            assertThat(client.get("tls/key")).map(Entry::asString).contains("over tls");

            List<LocalCluster.Node> nodes = cluster.nodes();
            assertThat(nodes).hasSize(2).allSatisfy(node -> {
                assertThat(node.state()).isEqualTo("UP");
                assertThat(node.url()).startsWith("https://127.0.0.1:");
            });
            long copies = 0;
            for (LocalCluster.Node node : nodes) {
                copies += cluster.table(node, "own").containsKey("tls/key") ? 1 : 0;
                copies += cluster.table(node, "prev").containsKey("tls/key") ? 1 : 0;
            }
            assertThat(copies).as("copies of the key on the nodes, read over https").isEqualTo(2);

            assertPlainHttpIsRefused(cluster.port());
            KvClient untrusting = new KvClient(URI.create(cluster.api()));
            assertThat(catchThrowable(() -> untrusting.get("tls/key")))
                    .isInstanceOf(TransportException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    /** Tomcat answers plain http on a TLS port with 400 ("requires TLS"), or drops the connection. */
    private static void assertPlainHttpIsRefused(int port) throws InterruptedException {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = plain.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/kv/tls/key")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).doesNotContain("over tls");
        } catch (IOException refused) {
            assertThat(refused).isNotInstanceOf(SSLHandshakeException.class);
        }
    }

    /** ca.pem (a CA), cert.pem (for IP 127.0.0.1 and localhost, signed by the CA) and key.pem (PKCS#8). */
    private static void writeCertificates(Path tls) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair caKeys = generator.generateKeyPair();
        KeyPair serverKeys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=kvstore test CA");

        X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE,
                java.util.Date.from(now.minusSeconds(60)), java.util.Date.from(now.plus(Duration.ofDays(1))),
                caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO,
                java.util.Date.from(now.minusSeconds(60)), java.util.Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=127.0.0.1"), serverKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}));

        Files.writeString(tls.resolve("ca.pem"), pem("CERTIFICATE", sign(ca, caKeys).getEncoded()));
        Files.writeString(tls.resolve("cert.pem"), pem("CERTIFICATE", sign(server, caKeys).getEncoded()));
        Files.writeString(tls.resolve("key.pem"), pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
