package dev.starling.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * TLS for tests: certificates made here with openssl (a CA, a server certificate for 127.0.0.1 and localhost, a
 * client certificate, and a second CA that signed neither), and a redis-server that serves TLS with them on loopback,
 * optionally requiring client certificates. Tests that need it are skipped, saying why, when openssl is missing or
 * the redis-server found has no TLS (Debian's has; the bundled fallback may not). Not thread-safe.
 */
public final class TestTls {
    private TestTls() {
    }

    /**
     * The certificate files, all PEM, keys unencrypted PKCS #8.
     *
     * @param ca         the CA that signed the server's and the client's certificates
     * @param otherCa    a CA that signed nothing here, for "not trusted" cases
     * @param serverCert the server's certificate, for 127.0.0.1 and localhost
     * @param serverKey  its key
     * @param clientCert the client's certificate
     * @param clientKey  its key
     */
    public record Certificates(Path ca, Path otherCa, Path serverCert, Path serverKey, Path clientCert,
                               Path clientKey) {
    }

    /** A redis-server with TLS on {@link #tlsPort()} (and plain TCP on the server's own port, for readiness). */
    public record Server(TestRedis.Server redis, int tlsPort, Certificates certificates) implements AutoCloseable {
        /** {@code rediss://127.0.0.1:PORT}, to which tests add their query. */
        public String url() {
            return "rediss://127.0.0.1:" + tlsPort;
        }

        @Override
        public void close() {
            redis.close();
        }
    }

    /** Makes a fresh set of certificates in a new temporary directory; skips the test when openssl is missing. */
    public static Certificates certificates() {
        try {
            Path dir = Files.createTempDirectory("starling-tls-");
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=starling-test-ca",
                    "-keyout", "ca.key", "-out", "ca.pem");
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other-ca",
                    "-keyout", "other-ca.key", "-out", "other-ca.pem");
            for (String who : new String[] {"server", "client"}) {
                openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + who, "-keyout", who + ".key",
                        "-out", who + ".csr");
                Files.writeString(dir.resolve(who + ".ext"), who.equals("server")
                        ? "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
                        : "extendedKeyUsage=clientAuth\n");
                openssl(dir, "x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                        "-CAcreateserial", "-days", "2", "-extfile", who + ".ext", "-out", who + ".pem");
            }
            return new Certificates(dir.resolve("ca.pem"), dir.resolve("other-ca.pem"), dir.resolve("server.pem"),
                    dir.resolve("server.key"), dir.resolve("client.pem"), dir.resolve("client.key"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        } catch (IOException e) {
            Assumptions.abort("skipped: openssl is not installed, and these TLS tests make their certificates with"
                    + " it (" + e.getMessage() + ")");
            throw e;
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed; see "
                        + dir.resolve("openssl.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making certificates", e);
        }
    }

    /** Starts a redis-server serving TLS with {@code certificates}; with {@code clientAuth} it demands a client's. */
    public static Server start(Certificates certificates, boolean clientAuth) {
        int tlsPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            tlsPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestRedis.Server redis;
        try {
            redis = TestRedis.start("--tls-port", Integer.toString(tlsPort),
                    "--tls-cert-file", certificates.serverCert().toString(),
                    "--tls-key-file", certificates.serverKey().toString(),
                    "--tls-ca-cert-file", certificates.ca().toString(),
                    "--tls-auth-clients", clientAuth ? "yes" : "no");
        } catch (IllegalStateException e) {
            Assumptions.abort("skipped: this redis-server cannot serve TLS (" + e.getMessage() + "); Debian's"
                    + " redis-server can: apt-get install -y redis-server");
            throw e;
        }
        return new Server(redis, tlsPort, certificates);
    }
}
