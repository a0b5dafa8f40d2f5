package dev.starling.redis;

import dev.starling.StarlingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for {@code rediss://}: an SSL socket factory built from PEM files (the certificates to trust, and for mutual TLS
 * the client's certificate and PKCS #8 key), as openssl writes them, and parameters that verify the server's host
 * name. Stateless.
 */
final class Tls {
    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private Tls() {
    }

    /** Host-name verification, as HTTPS does it: the certificate must name the host of the URL. */
    static SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /** A socket factory trusting {@code caCert} (or the JVM's trust store when null), presenting the client's pair. */
    static SSLSocketFactory socketFactory(Path caCert, Path clientCert, Path clientKey) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caCert == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                int i = 0;
                for (Certificate c : certificates(caCert, "cacert")) {
                    trusted.setCertificateEntry("ca-" + i++, c);
                }
                trust.init(trusted);
            }
            KeyManagerFactory keys = null;
            if (clientCert != null) {
                KeyStore own = KeyStore.getInstance("PKCS12");
                own.load(null, null);
                char[] none = new char[0];
                own.setKeyEntry("client", privateKey(clientKey), none,
                        certificates(clientCert, "cert").toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(own, none);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new StarlingException("cannot set up TLS for Redis: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path file, String parameter) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> found = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (found.isEmpty()) {
                throw new StarlingException("the " + parameter + " file " + file + " holds no PEM certificate");
            }
            return found;
        } catch (IOException | GeneralSecurityException e) {
            throw new StarlingException("the " + parameter + " file " + file + " is not a PEM certificate file: "
                    + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = KEY.matcher(pem);
        if (!m.find()) {
            throw new StarlingException("the key file " + file + " holds no unencrypted PKCS #8 key (-----BEGIN"
                    + " PRIVATE KEY-----); convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file
                    + " -out client.key");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // Try the next algorithm.
            }
        }
        throw new StarlingException("the key file " + file + " holds a key that is neither RSA, EC nor Ed25519");
    }
}
