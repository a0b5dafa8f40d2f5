package dev.starling.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that injects the network faults a server restart or {@code CLIENT KILL} does not:
 * connections dropped from the middle ({@link #dropAll()}), a black hole that keeps connections open and forwards
 * nothing, the half-open connection a vanished peer leaves ({@link #blackHole(boolean)}), replies delayed
 * ({@link #delay(long)}), replies split into tiny writes ({@link #split(boolean)}), and requests delivered a second
 * time, late, from a connection the client has long left ({@link #replayLate(long)}). Put it between clients and a
 * server: connect the clients to {@link #port()}. Thread-safe.
 */
public final class FaultyProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean blackHole;
    private volatile boolean split;
    private volatile long delayMillis;
    private volatile long replayMillis;
    private volatile boolean closed;
    private final AtomicLong heldBack = new AtomicLong();
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong splitUp = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();

    /** Starts a proxy to {@code 127.0.0.1:upstreamPort}. */
    public FaultyProxy(int upstreamPort) {
        this.upstreamPort = upstreamPort;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Closes every proxied connection at once, both ways, as a broken network does.
     *
     * @return how many connections (client and server ends) it closed
     */
    public int dropAll() {
        int n = 0;
        for (Socket s : open) {
            closeQuietly(s);
            n++;
        }
        open.clear();
        return n;
    }

    /**
     * How many chunks were held back by the black hole, delayed, split, and replayed, so far: the faults that bit
     * (replays are counted when they reached the server).
     */
    public long[] injected() {
        return new long[] {heldBack.get(), delayed.get(), splitUp.get(), replayed.get()};
    }

    /** While on, bytes are held back in both directions and connections stay open: half-open, to the clients. */
    public void blackHole(boolean on) {
        blackHole = on;
    }

    /** Delays each chunk of the server's replies by {@code millis}. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    /**
     * While {@code millis} is positive, every chunk a client sends reaches the server a second time, {@code millis}
     * later, on a connection of its own whose replies go nowhere: what a request stuck in a network buffer, or in
     * the socket of a client that timed out and moved on, does when it is finally read. A server that applies such a
     * late copy after the client's newer requests must not act on it as if it were new. 0 turns it off.
     */
    public void replayLate(long millis) {
        replayMillis = millis;
    }

    /** While on, the server's replies reach the clients a few bytes at a time. */
    public void split(boolean on) {
        split = on;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                open.add(client);
                open.add(server);
                Thread.ofVirtual().start(() -> pump(client, server, false));
                Thread.ofVirtual().start(() -> pump(server, client, true));
            } catch (IOException e) {
                if (!closed) {
                    // The upstream refused (it is restarting): the client's connection fails, as it would.
                    continue;
                }
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean reply) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (blackHole) {
                    heldBack.incrementAndGet();
                }
                while (blackHole && !from.isClosed()) {
                    Thread.sleep(10);
                }
                if (reply && delayMillis > 0) {
                    delayed.incrementAndGet();
                    Thread.sleep(delayMillis);
                }
                long replay = replayMillis;
                if (!reply && replay > 0) {
                    byte[] copy = java.util.Arrays.copyOf(buffer, n);
                    Thread.ofVirtual().start(() -> replay(copy, replay));
                }
                if (reply && split) {
                    splitUp.incrementAndGet();
                    for (int i = 0; i < n; i += 3) {
                        out.write(buffer, i, Math.min(3, n - i));
                        out.flush();
                    }
                } else {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // a dropped or closed connection ends its pumps
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    /**
     * Sends {@code request} to the server after {@code millis} on a fresh connection, reads what comes back for a
     * moment (so the server has read the request), and closes it. A chunk holding part of a command is just dropped
     * unfinished by the server when the connection closes.
     */
    private void replay(byte[] request, long millis) {
        try {
            Thread.sleep(millis);
            if (closed) {
                return;
            }
            try (Socket late = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                late.setSoTimeout(200);
                late.getOutputStream().write(request);
                late.getOutputStream().flush();
                if (late.getInputStream().read(new byte[4096]) > 0) {
                    replayed.incrementAndGet();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the server is away or the proxy closed: the late copy is lost, as it might be
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        dropAll();
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
