package dev.starling.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.QueueLoop;
import dev.starling.StarlingException;
import dev.starling.Store;
import dev.starling.StoreUnavailableException;
import dev.starling.testkit.TestTls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * rediss:// against a real redis-server serving TLS on loopback, with certificates this test makes: the server
 * verified with a CA file, mutual TLS with a client certificate, and clear errors for a wrong or missing CA, a
 * missing client certificate, and bad parameters.
 */
@Timeout(120)
class RedisTlsTest {
    private static TestTls.Certificates certs;
    private static TestTls.Server serverOnly;
    private static TestTls.Server mutual;

    @BeforeAll
    static void start() {
        certs = TestTls.certificates();
        serverOnly = TestTls.start(certs, false);
        mutual = TestTls.start(certs, true);
    }

    @AfterAll
    static void stop() {
        if (serverOnly != null) {
            serverOnly.close();
        }
        if (mutual != null) {
            mutual.close();
        }
    }

    private static void runsTasks(String url) throws Exception {
        try (Store store = Store.open(url);
             Controller c = Network.builder(store, "tls-" + System.nanoTime()).create().controller()) {
            c.startWorkers(2, (QueueLoop) task -> Map.of("y", 2 * ((Number) task.xs().get("x")).intValue()));
            List<Long> ids = c.push(List.of(Map.of("x", 1), Map.of("x", 2), Map.of("x", 3)));
            assertThat(c.await(ids, Duration.ofSeconds(30))).isTrue();
            assertThat(c.finished()).extracting(t -> t.ys().get("y")).containsExactlyInAnyOrder(2, 4, 6);
            assertThat(store.location()).startsWith("rediss://127.0.0.1:");
        }
    }

    @Test
    void serverVerifiedWithTheCaFile_runsTasks() throws Exception {
        runsTasks(serverOnly.url() + "?cacert=" + certs.ca());
    }

    @Test
    void mutualTls_withTheClientsCertificateAndKey_runsTasks() throws Exception {
        runsTasks(mutual.url() + "?cacert=" + certs.ca() + "&cert=" + certs.clientCert() + "&key="
                + certs.clientKey());
    }

    @Test
    void theBuilder_configuresMutualTls_asTheUrlDoes() throws Exception {
        RedisStore.Builder builder = RedisStore.builder("127.0.0.1", mutual.tlsPort())
                .tls(certs.ca())
                .clientCertificate(certs.clientCert(), certs.clientKey())
                .timeout(Duration.ofSeconds(3));
        assertThat(builder.url()).isEqualTo(mutual.url() + "?timeout=3000&cacert=" + certs.ca() + "&cert="
                + certs.clientCert() + "&key=" + certs.clientKey());
        runsTasks(builder.url());
        try (RedisStore store = builder.open()) {
            assertThat(store.url()).isEqualTo(builder.url());
            assertThat(store.location()).isEqualTo(mutual.url());
        }
        assertThatThrownBy(() -> RedisStore.builder("127.0.0.1", serverOnly.tlsPort()).tls(certs.otherCa()).open())
                .isInstanceOf(StarlingException.class).hasMessageContaining("not trusted by cacert=" + certs.otherCa());
        RedisConfig parsed = RedisConfig.parse(RedisStore.builder("h", 7).user("u r", "p@ss:w/rd %").database(2)
                .url());
        assertThat(List.of(parsed.user(), parsed.password(), parsed.host(), parsed.port(), parsed.database()))
                .containsExactly("u r", "p@ss:w/rd %", "h", 7, 2);
        assertThatThrownBy(() -> RedisStore.builder("127.0.0.1", 6379).clientCertificate(certs.clientCert(),
                certs.clientKey()).url()).hasMessageContaining("a client certificate needs TLS");
    }

    @Test
    void aWrongCa_failsAtOnce_namingTheCertificateProblemAndTheFile() {
        assertThatThrownBy(() -> Store.open(serverOnly.url() + "?cacert=" + certs.otherCa() + "&retry=60000"))
                .isInstanceOf(StarlingException.class).isNotInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("not trusted by cacert=" + certs.otherCa())
                .hasMessageContaining("give the CA file that signed the server's certificate");
    }

    @Test
    void noCa_saysTheJvmsTrustStoreDoesNotTrustIt_andWhatToGive() {
        assertThatThrownBy(() -> Store.open(serverOnly.url()))
                .isInstanceOf(StarlingException.class).isNotInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("not trusted by the JVM's trust store")
                .hasMessageContaining("?cacert=FILE");
    }

    @Test
    void aServerThatWantsAClientCertificate_withoutOne_saysSo() {
        assertThatThrownBy(() -> Store.open(mutual.url() + "?cacert=" + certs.ca()))
                .isInstanceOf(StarlingException.class).isNotInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("client certificate").hasMessageContaining("cert=FILE&key=FILE");
    }

    @Test
    void badTlsParameters_areRejectedNamingThem() {
        assertThatThrownBy(() -> Store.open("redis://127.0.0.1:1?cacert=" + certs.ca()))
                .hasMessageContaining("gives cacert= but does not use TLS");
        assertThatThrownBy(() -> Store.open(serverOnly.url() + "?cert=" + certs.clientCert()))
                .hasMessageContaining("gives cert without key");
        assertThatThrownBy(() -> Store.open(serverOnly.url() + "?cacert=/nowhere/ca.pem"))
                .hasMessageContaining("the cacert file /nowhere/ca.pem does not exist");
        assertThatThrownBy(() -> Store.open(mutual.url() + "?cacert=" + certs.ca() + "&cert=" + certs.clientCert()
                + "&key=" + certs.clientCert())).hasMessageContaining("holds no unencrypted PKCS #8 key");
    }
}
