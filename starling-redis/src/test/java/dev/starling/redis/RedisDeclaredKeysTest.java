package dev.starling.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Scheduler;
import dev.starling.Store;
import dev.starling.testkit.TestRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every script declares every key it touches, as Redis Cluster asks: the store, runtime and futures contracts run on
 * a server watched with MONITOR, which shows each script call with its declared keys and then each command the script
 * ran; afterwards every command's key must be among its call's declared keys, and every script must have run.
 */
class RedisDeclaredKeysTest extends RedisContracts {
    private static TestRedis.Server server;
    private static Socket monitor;
    private static final List<String> lines = new ArrayList<>();
    private static final String END = "declared-keys-end-marker";
    private static final CountDownLatch ended = new CountDownLatch(1);

    @BeforeAll
    static void watch() throws IOException {
        server = TestRedis.start();
        monitor = new Socket("127.0.0.1", server.port());
        OutputStream out = monitor.getOutputStream();
        out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = monitor.getInputStream();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.contains(END)) {
                        ended.countDown();
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
    }

    @Override
    Store open(Scheduler scheduler) {
        return RedisStore.open(server.url(), scheduler);
    }

    @AfterAll
    static void everyKeyTouchedWasDeclared() throws Exception {
        // A last ECHO marks the end of what the tests sent; wait until MONITOR has shown it.
        server.command("ECHO", END);
        assertThat(ended.await(10, TimeUnit.SECONDS)).as("MONITOR shows the end marker").isTrue();
        monitor.close();
        server.close();

        Map<String, String> scripts = scriptsBySha();
        Map<String, Integer> calls = new TreeMap<>();
        Map<String, Set<String>> undeclared = new TreeMap<>();
        Set<String> declared = null;
        String script = null;
        List<String> copy;
        synchronized (lines) {
            copy = List.copyOf(lines);
        }
        for (String line : copy) {
            List<String> tokens = tokens(line);
            if (tokens.isEmpty()) {
                continue;
            }
            boolean fromLua = line.contains(" lua] ");
            String command = tokens.get(0).toUpperCase(Locale.ROOT);
            if (!fromLua) {
                declared = null;
                if (command.equals("EVALSHA")) {
                    script = scripts.getOrDefault(tokens.get(1), "unknown script " + tokens.get(1));
                    int n = Integer.parseInt(tokens.get(2));
                    declared = new HashSet<>(tokens.subList(3, 3 + n));
                    calls.merge(script, 1, Integer::sum);
                }
                continue;
            }
            assertThat(declared).as("a script command outside a script call: %s", line).isNotNull();
            if (command.equals("TIME") || tokens.size() < 2) {
                continue;
            }
            String key = tokens.get(1);
            if (!declared.contains(key)) {
                undeclared.computeIfAbsent(script, s -> new TreeSet<>()).add(command + " " + key);
            }
        }
        assertThat(undeclared).as("keys scripts touched without declaring them").isEmpty();
        assertThat(calls.keySet()).as("scripts that ran").containsAll(scripts.values());
    }

    /** Each script's SHA, as Redis names it in EVALSHA: the prelude and the script, as the store loads them. */
    private static Map<String, String> scriptsBySha() throws Exception {
        String prelude = resource("prelude");
        Map<String, String> bySha = new HashMap<>();
        for (String name : Redis.SCRIPTS) {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((prelude + "\n" + resource(name))
                    .getBytes(StandardCharsets.UTF_8));
            bySha.put(HexFormat.of().formatHex(digest), name);
        }
        return bySha;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Redis.class.getResourceAsStream(name + ".lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The quoted tokens of a MONITOR line ({@code 1700000000.1 [0 127.0.0.1:1234] "cmd" "arg" ...}), unescaped. */
    private static List<String> tokens(String line) {
        List<String> tokens = new ArrayList<>();
        int i = line.indexOf("] ");
        if (i < 0) {
            return tokens;
        }
        i += 2;
        while (i < line.length()) {
            if (line.charAt(i) != '"') {
                i++;
                continue;
            }
            StringBuilder token = new StringBuilder();
            i++;
            while (i < line.length() && line.charAt(i) != '"') {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < line.length()) {
                    char next = line.charAt(i + 1);
                    switch (next) {
                        case 'x' -> {
                            token.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                            i += 4;
                            continue;
                        }
                        case 'n' -> token.append('\n');
                        case 'r' -> token.append('\r');
                        case 't' -> token.append('\t');
                        case 'a' -> token.append('\u0007');
                        case 'b' -> token.append('\b');
                        default -> token.append(next);
                    }
                    i += 2;
                    continue;
                }
                token.append(c);
                i++;
            }
            tokens.add(token.toString());
            i++;
        }
        return tokens;
    }
}
