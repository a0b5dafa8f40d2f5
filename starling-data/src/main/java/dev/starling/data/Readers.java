package dev.starling.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Picks the reader by file extension, and the helpers the readers share. Stateless and thread-safe. */
final class Readers {
    private Readers() {
    }

    /** Reads the columns of an {@code .arff}, {@code .csv} or {@code .json} file. */
    static List<Column> read(Path file) {
        String extension = extension(file);
        if (!List.of("arff", "csv", "json").contains(extension)) {
            throw new IllegalArgumentException("'" + file + "' is neither a named data set (" + String.join(", ",
                    Datasets.names()) + ") nor a file ending in .arff, .csv or .json");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file '" + file + "' does not exist (absolute: "
                    + file.toAbsolutePath() + ")");
        }
        return switch (extension) {
            case "arff" -> Arff.read(file, text(file));
            case "csv" -> Csv.read(file, text(file));
            default -> JsonRecords.read(file);
        };
    }

    /** The file name without its extension: the table's name. */
    static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String extension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The file as UTF-8 (invalid bytes replaced, not fatal: ARFF files are often Latin-1), without a BOM. */
    private static String text(Path file) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + file + "': " + e.getMessage(), e);
        }
    }

    /** A malformed-file error that names the file and the line. */
    static IllegalArgumentException malformed(Path file, int line, String problem) {
        return new IllegalArgumentException(file + " line " + line + ": " + problem);
    }
}
