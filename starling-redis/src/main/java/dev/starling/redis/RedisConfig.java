package dev.starling.redis;

import dev.starling.StarlingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where and how to connect, parsed from {@code redis://[user:password@]host[:port][/db][?pool=N&timeout=MS&
 * connectTimeout=MS&retry=MS]}, or {@code rediss://} for TLS, which also takes {@code cacert=FILE} (the PEM
 * certificates to trust instead of the JVM's trust store) and {@code cert=FILE&key=FILE} (a PEM client certificate
 * and its unencrypted PKCS #8 key, for mutual TLS). The TLS parameters name files, never secrets, so worker processes
 * can be handed the same URL. Immutable.
 *
 * @param host           the server's host
 * @param port           its port (default 6379)
 * @param user           the ACL user, or null for the default user
 * @param password       the password, or null
 * @param database       the database number (default 0)
 * @param tls            whether to connect with TLS
 * @param poolSize       the most connections (default 64); each worker blocked waiting for a task holds one
 * @param timeout        the socket timeout of one command (default 5 s)
 * @param connectTimeout the timeout of connecting (default 2 s)
 * @param retry          how long one command is retried while Redis cannot be reached (default 15 s); longer
 *                       outages are the workers' to ride out, up to their outage limit
 * @param caCert         the PEM file of certificates to trust, or null for the JVM's trust store
 * @param clientCert     the PEM file of the client's certificate (chain), or null
 * @param clientKey      the PEM file of the client's private key, or null
 */
record RedisConfig(String host, int port, String user, String password, int database, boolean tls, int poolSize,
                   Duration timeout, Duration connectTimeout, Duration retry, Path caCert, Path clientCert,
                   Path clientKey) {

    static RedisConfig parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new StarlingException("Redis URL '" + redact(url) + "' is malformed (" + e.getReason()
                    + "); expected redis://[user:password@]host:port[/db]", e);
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new StarlingException("Redis URL '" + redact(url) + "' must start with redis:// or rediss://");
        }
        if (uri.getHost() == null) {
            throw new StarlingException("Redis URL '" + redact(url) + "' has no host; expected e.g."
                    + " redis://localhost:6379");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            if (colon < 0) {
                password = decode(info);
            } else {
                user = colon == 0 ? null : decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            }
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new StarlingException("Redis URL '" + redact(url) + "' names database '" + path.substring(1)
                        + "'; it must be a number", e);
            }
        }
        Map<String, String> query = query(uri.getRawQuery());
        int pool = intParam(query, "pool", 64, url);
        Duration timeout = Duration.ofMillis(intParam(query, "timeout", 5_000, url));
        Duration connect = Duration.ofMillis(intParam(query, "connectTimeout", 2_000, url));
        Duration retry = Duration.ofMillis(intParam(query, "retry", 15_000, url));
        boolean tls = "rediss".equals(scheme);
        Path caCert = fileParam(query, "cacert", tls, url);
        Path clientCert = fileParam(query, "cert", tls, url);
        Path clientKey = fileParam(query, "key", tls, url);
        if ((clientCert == null) != (clientKey == null)) {
            throw new StarlingException("Redis URL '" + redact(url) + "' gives " + (clientCert == null ? "key"
                    : "cert") + " without " + (clientCert == null ? "cert" : "key") + "; mutual TLS needs both, e.g."
                    + " rediss://host:6380?cacert=ca.pem&cert=client.pem&key=client.key");
        }
        if (!query.isEmpty()) {
            throw new StarlingException("Redis URL '" + redact(url) + "' has unknown parameters " + query.keySet()
                    + "; known: pool, timeout, connectTimeout, retry, and for rediss:// cacert, cert, key");
        }
        return new RedisConfig(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), user, password, database,
                tls, pool, timeout, connect, retry, caCert, clientCert, clientKey);
    }

    /** A readable file named by parameter {@code name}, or null; TLS parameters need rediss://. */
    private static Path fileParam(Map<String, String> query, String name, boolean tls, String url) {
        String value = query.remove(name);
        if (value == null) {
            return null;
        }
        if (!tls) {
            throw new StarlingException("Redis URL '" + redact(url) + "' gives " + name + "= but does not use TLS;"
                    + " start it with rediss://");
        }
        Path file = Path.of(value);
        if (!Files.isReadable(file)) {
            throw new StarlingException("Redis URL '" + redact(url) + "': the " + name + " file " + file
                    + " does not exist or cannot be read");
        }
        return file;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                params.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return params;
    }

    private static int intParam(Map<String, String> query, String name, int fallback, String url) {
        String value = query.remove(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new StarlingException("Redis URL '" + redact(url) + "': " + name + " must be a positive integer,"
                    + " was '" + value + "'", e);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL without its password, for messages and for worker command lines shown to people. */
    static String redact(String url) {
        return url.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@");
    }

    /** This configuration as a URL without the password. */
    String location() {
        String auth = user == null && password == null ? "" : (user == null ? "" : user) + (password == null ? ""
                : ":***") + "@";
        return (tls ? "rediss" : "redis") + "://" + auth + host + ":" + port + (database == 0 ? "" : "/" + database);
    }

    @Override
    public String toString() {
        return location();
    }
}
