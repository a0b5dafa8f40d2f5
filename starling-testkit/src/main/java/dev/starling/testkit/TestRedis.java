package dev.starling.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A real Redis for tests, with nothing installed by hand: {@code REDIS_URL} when set; otherwise a
 * {@code redis-server} from the PATH on a free port; otherwise the server binary bundled in
 * {@code com.github.codemonstur:embedded-redis}. Servers started here run without persistence and are stopped when
 * the JVM exits. Thread-safe.
 */
public final class TestRedis {
    private static final String BUNDLED = "redis-server-6.2.6-v5-linux-amd64";
    private static final int SLOTS = 16_384;
    private static Server shared;
    private static Cluster sharedCluster;

    private TestRedis() {
    }

    /** The URL of the shared test server, starting it on first use. */
    public static synchronized String url() {
        String env = System.getenv("REDIS_URL");
        if (env != null && !env.isBlank()) {
            return env;
        }
        if (shared == null) {
            shared = start();
        }
        return shared.url();
    }

    /**
     * The shared test cluster ({@link #startCluster(int)} with three masters), started on first use; {@code
     * REDIS_CLUSTER_URL}, when set, names a node of a cluster to use instead.
     */
    public static synchronized String clusterUrl() {
        String env = System.getenv("REDIS_CLUSTER_URL");
        if (env != null && !env.isBlank()) {
            return env;
        }
        if (sharedCluster == null) {
            sharedCluster = startCluster(3);
        }
        return sharedCluster.url();
    }

    /**
     * Starts a Redis Cluster of {@code masters} nodes on loopback, without replicas: each node a {@code redis-server
     * --cluster-enabled yes} in its own directory, the slots split evenly between them, the nodes introduced to one
     * another with {@code CLUSTER MEET}, and this returns once every node reports {@code cluster_state:ok}. The
     * same steps as {@code redis-cli --cluster create}, done over the wire so that no redis-cli is needed.
     */
    public static Cluster startCluster(int masters) {
        if (masters < 1) {
            throw new IllegalArgumentException("a cluster needs at least one master, was " + masters);
        }
        List<Server> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                nodes.add(start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"));
            }
            for (int i = 0; i < masters; i++) {
                int from = i * SLOTS / masters;
                int to = (i + 1) * SLOTS / masters;
                List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                for (int slot = from; slot < to; slot++) {
                    command.add(Integer.toString(slot));
                }
                expect(nodes.get(i).command(command.toArray(String[]::new)), "+OK", "CLUSTER ADDSLOTS");
            }
            for (int i = 1; i < masters; i++) {
                expect(nodes.get(0).command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.get(i).port())),
                        "+OK", "CLUSTER MEET");
            }
            Cluster cluster = new Cluster(List.copyOf(nodes));
            cluster.awaitOk();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(Server::stop);
            throw e;
        }
    }

    private static void expect(String reply, String wanted, String what) {
        if (!reply.startsWith(wanted)) {
            throw new IllegalStateException(what + " answered " + reply.strip());
        }
    }

    /** Starts a dedicated server (for tests that restart it or set a password), with extra redis-server options. */
    public static Server start(String... options) {
        return new Server(binary(), freePort(), List.of(options));
    }

    private static synchronized Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("no redis-server on the PATH, and the bundled one is for linux-amd64"
                    + " only (this is " + os + "/" + arch + "); install Redis or set REDIS_URL");
        }
        try (InputStream in = TestRedis.class.getResourceAsStream("/" + BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on the PATH and " + BUNDLED + " is not on the class"
                        + " path; install Redis, set REDIS_URL, or add com.github.codemonstur:embedded-redis");
            }
            Path file = Files.createTempFile("starling-redis-server-", "");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            if (!file.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + file + " executable");
            }
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A redis-server process on 127.0.0.1. */
    public static final class Server implements AutoCloseable {
        private final Path binary;
        private final int port;
        private final List<String> options;
        private final Path dir;
        private Process process;

        private Server(Path binary, int port, List<String> options) {
            this.binary = binary;
            this.port = port;
            this.options = options;
            try {
                this.dir = Files.createTempDirectory("starling-redis-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            start();
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        }

        /** {@code redis://127.0.0.1:PORT}. */
        public String url() {
            return "redis://127.0.0.1:" + port;
        }

        public int port() {
            return port;
        }

        /** Starts the server (again, after {@link #stop()}) on the same port, and waits until it answers. */
        public synchronized void start() {
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
            command.addAll(options);
            try {
                process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile())
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + binary, e);
            }
            awaitReady();
        }

        private void awaitReady() {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited at start; see " + dir.resolve("redis.log"));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    socket.setSoTimeout(1_000);
                    OutputStream out = socket.getOutputStream();
                    out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    byte[] reply = new byte[64];
                    int n = socket.getInputStream().read(reply);
                    String text = n > 0 ? new String(reply, 0, n, StandardCharsets.US_ASCII) : "";
                    if (text.startsWith("+PONG") || text.startsWith("-NOAUTH")) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for redis-server", e);
                }
            }
            throw new IllegalStateException("redis-server did not answer on port " + port + " within 15 s");
        }

        /**
         * Sends one command and returns the first reply as Redis wrote it (e.g. {@code +OK}, {@code :3},
         * {@code $12...}); for the fixture's own set-up commands, whose replies are short.
         */
        public String command(String... args) {
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                        .append("\r\n");
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                out.write(request.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] reply = new byte[8_192];
                int n = in.read(reply);
                if (n > 0 && reply[0] == '$') {
                    // A bulk string: read until the whole of it is here.
                    String head = new String(reply, 0, n, StandardCharsets.UTF_8);
                    int length = Integer.parseInt(head.substring(1, head.indexOf('\r')));
                    int total = head.indexOf('\n') + 1 + Math.max(0, length) + 2;
                    while (n < Math.min(total, reply.length)) {
                        int more = in.read(reply, n, reply.length - n);
                        if (more < 0) {
                            break;
                        }
                        n += more;
                    }
                }
                return n > 0 ? new String(reply, 0, n, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException("redis-server on port " + port + " did not answer " + args[0], e);
            }
        }

        /** Freezes the server (SIGSTOP): it keeps its connections and answers nothing until {@link #resume()}. */
        public void pause() {
            signal("STOP");
        }

        /** Lets a paused server go on (SIGCONT). */
        public void resume() {
            signal("CONT");
        }

        private synchronized void signal(String name) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
                if (kill.waitFor() != 0) {
                    throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while signalling redis-server", e);
            }
        }

        /** Closes every client connection of the server ({@code CLIENT KILL TYPE normal}); returns how many. */
        public int killClients() {
            // SKIPME spares the connection that asks.
            String text = command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes").strip();
            if (!text.startsWith(":")) {
                throw new IllegalStateException("CLIENT KILL answered " + text);
            }
            return Integer.parseInt(text.substring(1));
        }

        /** Stops the server at once (like a crash: nothing is saved). */
        public synchronized void stop() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    /** A Redis Cluster on loopback, of masters only; closing it stops every node. Thread-safe. */
    public static final class Cluster implements AutoCloseable {
        private final List<Server> nodes;

        private Cluster(List<Server> nodes) {
            this.nodes = nodes;
        }

        /** The URL of the first node; a client pointed at any node finds the others. */
        public String url() {
            return nodes.get(0).url();
        }

        /** The nodes, in the order of the slots they serve (the first serves slot 0). */
        public List<Server> nodes() {
            return nodes;
        }

        /** Waits until every node says {@code cluster_state:ok}, at most 30 s. */
        void awaitOk() {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                if (nodes.stream().allMatch(n -> n.command("CLUSTER", "INFO").contains("cluster_state:ok"))) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster on ports " + nodes.stream().map(Server::port)
                            .toList() + " did not reach cluster_state:ok within 30 s");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the cluster", e);
                }
            }
        }

        @Override
        public void close() {
            nodes.forEach(Server::stop);
        }
    }
}
