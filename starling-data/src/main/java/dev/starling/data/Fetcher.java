package dev.starling.data;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the named data sets into the cache directory with the system's package tools ({@code apt-get},
 * {@code dpkg-deb}, {@code npm}, {@code tar}). Thread-safe: each fetch works in its own temporary directory and
 * moves the finished file into place atomically, so a concurrent or interrupted fetch never leaves a partial file
 * where {@link #fetch} looks; two concurrent fetches of one data set both download, and the last move wins.
 */
final class Fetcher {
    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
    static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String VEGA = "vega-datasets@3.2.1";
    private static final String WEKA_EXAMPLES = "usr/share/doc/weka/examples/";

    private Fetcher() {
    }

    /** The cache directory: {@code $STARLING_DATA} if set, else {@code ~/.cache/starling/datasets}. */
    static Path cache() {
        String dir = System.getenv("STARLING_DATA");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "starling", "datasets");
    }

    /** The data set's file in {@code cache}, fetched first if it is not there. */
    static Path fetch(Catalog set, Path cache) {
        Path file = cache.resolve(set.file);
        if (Files.isRegularFile(file)) {
            return file;
        }
        Path work = null;
        try {
            Files.createDirectories(cache);
            work = Files.createTempDirectory("starling-fetch-");
            switch (set.origin) {
                case DEBIAN_WEKA -> fromWeka(set, cache, work);
                case NPM_VEGA -> fromVega(cache, work);
            }
            return file;
        } catch (CommandFailed e) {
            StringBuilder why = new StringBuilder(e.getMessage());
            for (Throwable earlier : e.getSuppressed()) {
                why.append("\nBefore that, ").append(earlier.getMessage());
            }
            throw new IllegalStateException("cannot fetch " + set.id + ": " + why + "\n" + byHand(set, cache), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch " + set.id + ": " + e + "\n" + byHand(set, cache), e);
        } finally {
            delete(work);
        }
    }

    private static void fromWeka(Catalog set, Path cache, Path work) throws IOException, CommandFailed {
        try {
            run(work, TIMEOUT, "apt-get", "download", "weka");
        } catch (CommandFailed first) {
            // Missing or stale package lists (a 404 for an old version) are both fixed by an update.
            LOG.info("apt-get download weka failed ({}); running apt-get update once and retrying", first.exit);
            try {
                run(work, TIMEOUT, "apt-get", "update");
                run(work, TIMEOUT, "apt-get", "download", "weka");
            } catch (CommandFailed again) {
                again.addSuppressed(first);
                throw again;
            }
        }
        Path deb;
        try (DirectoryStream<Path> debs = Files.newDirectoryStream(work, "weka_*.deb")) {
            Iterator<Path> found = debs.iterator();
            if (!found.hasNext()) {
                throw new IOException("apt-get download weka left no weka_*.deb in " + work);
            }
            deb = found.next();
        }
        run(work, TIMEOUT, "dpkg-deb", "-x", deb.getFileName().toString(), "x");
        // One download serves every data set of the package; the one asked for must be there.
        for (Catalog other : Catalog.values()) {
            if (other.origin == Catalog.Origin.DEBIAN_WEKA && (other == set || !Files.exists(cache.resolve(other.file)))) {
                Path found = work.resolve("x").resolve(WEKA_EXAMPLES + other.file);
                Path gz = found.resolveSibling(other.file + ".gz");
                if (!Files.exists(found) && !Files.exists(gz)) {
                    if (other == set) {
                        throw new IOException(deb.getFileName() + " holds neither /" + WEKA_EXAMPLES + other.file
                                + " nor its .gz");
                    }
                    continue;
                }
                install(Files.exists(found) ? found : gz, cache.resolve(other.file), "Debian package "
                        + deb.getFileName() + " (apt-get download weka)");
            }
        }
    }

    private static void fromVega(Path cache, Path work) throws IOException, CommandFailed {
        run(work, TIMEOUT, "npm", "pack", "--silent", VEGA);
        String tgz = "vega-datasets-3.2.1.tgz";
        run(work, TIMEOUT, "tar", "-xzf", tgz, "package/data/flights-20k.json");
        install(work.resolve("package/data/flights-20k.json"), cache.resolve("flights-20k.json"),
                "npm package " + tgz + " (npm pack " + VEGA + ")");
    }

    /** Copies (and un-gzips) {@code from} beside {@code to}, then renames it into place in one step. */
    private static void install(Path from, Path to, String source) throws IOException {
        Path part = Files.createTempFile(to.getParent(), to.getFileName().toString(), ".part");
        try (InputStream in = from.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(from))
                : Files.newInputStream(from)) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("Fetched {} from {} into {}", to.getFileName(), source, to);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Runs a command in {@code dir}; throws with its exit code and last stderr lines unless it exits with 0. */
    static void run(Path dir, Duration timeout, String... command) throws IOException, CommandFailed {
        String line = String.join(" ", command);
        File stderr = Files.createTempFile(dir, "stderr-", ".txt").toFile();
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr).start();
        } catch (IOException e) {
            throw new CommandFailed(line, -1, "it could not be started (" + e.getMessage() + ")");
        }
        process.getOutputStream().close();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CommandFailed(line, -1, "it did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandFailed(line, -1, "it was interrupted");
        }
        if (process.exitValue() != 0) {
            List<String> lines = Files.readAllLines(stderr.toPath());
            throw new CommandFailed(line, process.exitValue(), "it exited with code " + process.exitValue()
                    + "; last lines of its stderr:\n  " + String.join("\n  ",
                    lines.subList(Math.max(0, lines.size() - 10), lines.size())));
        }
    }

    private static String byHand(Catalog set, Path cache) {
        String get = set.origin == Catalog.Origin.DEBIAN_WEKA
                ? "apt-get download weka && dpkg-deb -x weka_*.deb weka, then take weka/" + WEKA_EXAMPLES + set.file
                : "npm pack " + VEGA + " && tar -xzf vega-datasets-3.2.1.tgz package/data/flights-20k.json (or "
                + "download https://cdn.jsdelivr.net/npm/" + VEGA + "/data/flights-20k.json)";
        return "To get the file by hand: " + get + ", and put it at " + cache.resolve(set.file)
                + " (or set STARLING_DATA to a directory that holds " + set.file + ").";
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the temporary directory {}: {}", dir, e.toString());
        }
    }

    /** A command that did not exit with 0: its command line, exit code (-1 if none) and what went wrong. */
    static final class CommandFailed extends Exception {
        final int exit;

        CommandFailed(String command, int exit, String problem) {
            super("command '" + command + "' failed: " + problem);
            this.exit = exit;
        }
    }
}
