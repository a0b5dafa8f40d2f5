package dev.starling.internal;

import dev.starling.StarlingException;
import dev.starling.Store;
import dev.starling.WorkerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Starts worker processes on this machine: JVMs with this one's class path running {@link WorkerMain}, each writing
 * its output to its own log file under {@code <tmpdir>/starling/<network>/}. The store URL, which may hold a
 * password, reaches them in the environment, never on the command line. Stateless.
 */
public final class ProcessLauncher {
    /** The environment variable that hands the store URL to worker processes. */
    static final String STORE_VARIABLE = "STARLING_STORE";

    private ProcessLauncher() {
    }

    /**
     * Checks that processes other than this one can open {@code store}.
     *
     * @param what what needs it, e.g. "worker processes"
     * @throws StarlingException when it is the in-process memory store
     */
    public static void requireShared(Store store, String what) {
        if (!store.isShared()) {
            throw new StarlingException(what + " need a store that processes share, such as Redis"
                    + " (Store.open(\"redis://host:6379\")); the memory store lives in this JVM only");
        }
    }

    /** A started process and the file that holds its output. */
    public record Started(Process process, Path log) {
    }

    /**
     * Starts {@code n} processes, each running {@code workersEach} workers of {@code loop} in {@code network}.
     *
     * @param storeUrl the full store URL, credentials included
     * @param accept   what the processes may run of what the network's definition names, beyond Starling's own
     *                 classes (see {@link Classes#acceptOnly})
     * @throws StarlingException when a process cannot start (those already started are killed)
     */
    public static List<Started> start(int n, int workersEach, String storeUrl, String network, String loop,
                                      WorkerOptions options, Collection<String> accept) {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "starling", network);
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"),
                "bin", "java").toString());
        List<Started> started = new ArrayList<>(n);
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < n; i++) {
                // A worker's own log file should show its INFO events (start, stop, recoveries) with slf4j-simple.
                // Objectives may load native libraries (XGBoost, LightGBM): allow it without JDK 24's warning.
                List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.log.dev.starling.worker=info",
                        WorkerMain.class.getName()));
                command.addAll(WorkerMain.arguments("env:" + STORE_VARIABLE, network, loop, workersEach, options));
                Path log = Files.createTempFile(dir, "worker-", ".log");
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                builder.environment().put(STORE_VARIABLE, storeUrl);
                builder.environment().put(Classes.ACCEPT_VARIABLE, String.join(",", accept));
                started.add(new Started(builder.start(), log));
            }
        } catch (IOException e) {
            started.forEach(s -> s.process().destroyForcibly());
            throw new StarlingException("cannot start worker processes: " + e.getMessage(), e);
        }
        return started;
    }
}
