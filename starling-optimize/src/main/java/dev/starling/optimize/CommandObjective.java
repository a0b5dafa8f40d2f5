package dev.starling.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starling.Scheduler;
import dev.starling.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs an external command per evaluation; see {@link Objective#command(String, Duration)}. Thread-safe. */
final class CommandObjective implements Objective {
    private static final int TAIL = 2_000;

    private final String command;
    private final Duration timeout;
    private final Scheduler scheduler;

    CommandObjective(String command, Duration timeout) {
        this(command, timeout, Scheduler.system());
    }

    /** A command whose timeout is a timer of {@code scheduler} (a manual one in tests). */
    CommandObjective(String command, Duration timeout, Scheduler scheduler) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("the objective command is empty");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the command timeout must be positive, was " + timeout);
        }
        this.command = command;
        this.timeout = timeout;
        this.scheduler = scheduler;
    }

    String command() {
        return command;
    }

    Duration timeout() {
        return timeout;
    }

    @Override
    public Object evaluate(Map<String, Object> config) throws Exception {
        Process process = new ProcessBuilder(List.of("sh", "-c", command)).start();
        Thread stdoutReader = null;
        Thread stderrReader = null;
        try {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            stdoutReader = Thread.ofVirtual().start(() -> drain(process.getInputStream(), stdout, Integer.MAX_VALUE));
            stderrReader = Thread.ofVirtual().start(() -> drain(process.getErrorStream(), stderr, 64 * TAIL));
            try (OutputStream in = process.getOutputStream()) {
                in.write(Json.mapper().writeValueAsBytes(config));
            } catch (IOException e) {
                // The command need not read its input; a closed pipe is its choice.
            }
            AtomicBoolean timedOut = new AtomicBoolean();
            Scheduler.Cancellable timer = scheduler.schedule(timeout, () -> {
                timedOut.set(true);
                kill(process);
            });
            try {
                process.waitFor();
            } finally {
                timer.cancel();
            }
            if (timedOut.get()) {
                stderrReader.join(1_000);
                throw new CommandFailedException("command timed out after " + timeout + ": " + command
                        + tail(stderr));
            }
            stdoutReader.join();
            stderrReader.join();
            int exit = process.exitValue();
            if (exit != 0) {
                throw new CommandFailedException("command exited with status " + exit + ": " + command
                        + tail(stderr));
            }
            return outcomes(stdout.toString(StandardCharsets.UTF_8), stderr);
        } finally {
            if (process.isAlive()) {
                kill(process);
            }
        }
    }

    private Map<String, Object> outcomes(String out, ByteArrayOutputStream stderr) {
        JsonNode node = parse(out.strip());
        if (node == null) {
            String[] lines = out.strip().split("\\R");
            for (int i = lines.length - 1; i >= 0 && node == null; i--) {
                node = parse(lines[i].strip());
            }
        }
        if (node == null) {
            String shown = out.length() > TAIL ? "..." + out.substring(out.length() - TAIL) : out;
            throw new CommandFailedException("command printed no JSON object of outcomes (e.g. {\"y\": 1.5}) on its"
                    + " standard output: " + command + "\nstdout: " + (shown.isBlank() ? "(empty)" : shown.strip())
                    + tail(stderr));
        }
        return Json.mapper().convertValue(node, Json.MAP);
    }

    private static JsonNode parse(String text) {
        if (!text.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = Json.mapper().readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void drain(InputStream in, ByteArrayOutputStream out, int keep) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (out) {
                    if (out.size() < keep) {
                        out.write(buffer, 0, n);
                    } else {
                        // keep the tail: drop the older half
                        byte[] all = out.toByteArray();
                        out.reset();
                        out.write(all, all.length / 2, all.length - all.length / 2);
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            // the process ended or was killed
        }
    }

    private static String tail(ByteArrayOutputStream stderr) {
        String text;
        synchronized (stderr) {
            text = stderr.toString(StandardCharsets.UTF_8).strip();
        }
        if (text.isEmpty()) {
            return "";
        }
        return "\nstderr: " + (text.length() > TAIL ? "..." + text.substring(text.length() - TAIL) : text);
    }

    @Override
    public String toString() {
        return "command '" + command + "'";
    }
}
