package dev.starling.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door to data sets: loads a named data set or a file as a numeric, labelled {@link Table}.
 *
 * <pre>{@code
 * Table credit = Datasets.load("credit-g");              // target class=bad
 * Table flights = Datasets.load("flights", "delay>30");
 * Table mine = Datasets.load("runs.csv", "status=failed");
 * }</pre>
 *
 * <h2>Sources</h2>
 * A name from {@link #names()} ({@code credit-g}, {@code diabetes}, {@code flights}) is fetched once into a cache
 * directory (see {@link #fetch(String)}) and read from there afterwards, without any network. Anything else is a
 * path to a file, read by its extension:
 * <ul>
 *   <li>{@code .arff}: dense ARFF with {@code numeric}, {@code real}, {@code integer}, {@code string},
 *       {@code date [format]} and nominal {@code {a, b, ...}} attributes, values quoted with ' or ", {@code ?} for
 *       missing, {@code %} comments; sparse ARFF is rejected.</li>
 *   <li>{@code .csv}: RFC 4180 with a header row; a column is numeric when every non-missing value is a number;
 *       empty, {@code ?} and {@code NA} are missing.</li>
 *   <li>{@code .json}: an array of flat records; a column is numeric when all its values are JSON numbers;
 *       {@code null} or an absent key is missing.</li>
 * </ul>
 *
 * <h2>Target specs</h2>
 * The target picks the label column, which is never a feature:
 * <ul>
 *   <li>{@code COL}: a numeric column as is; a nominal column with exactly two levels as 0/1, the second level
 *       being 1 (second as declared in ARFF, in order of first appearance in CSV and JSON).</li>
 *   <li>{@code COL=LEVEL}: 1 where the column equals {@code LEVEL}, else 0 (for a numeric column, a number).</li>
 *   <li>{@code COL>NUMBER}, {@code COL<NUMBER}: 1 where the numeric column is greater (less), else 0.</li>
 * </ul>
 * Rows whose target is missing are dropped; the INFO log line of each load says how many.
 *
 * <h2>Encoding</h2>
 * <ul>
 *   <li>Numeric columns are taken as is, {@code NaN} where missing.</li>
 *   <li>Nominal and text columns become one-hot columns, one per level, named {@code COL=LEVEL}, in level order.
 *       To bound the width, a column keeps its 30 most frequent levels (ties in level
 *       order) and puts the rest in one {@code COL=other} column. A missing value is {@code NaN} in all of the
 *       column's one-hot columns.</li>
 *   <li>Text columns whose values are all date-times ({@code 2001/01/14 21:55}, {@code 2001-01-14 21:55[:ss]},
 *       {@code 2001-01-14T21:55[:ss]}), and ARFF date attributes, become two numeric columns: {@code COL.hour},
 *       the hour of day 0–23 with minutes and seconds as a fraction (21:45 is 21.75), and {@code COL.weekday},
 *       1 (Monday) to 7 (Sunday).</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * {@link IllegalArgumentException} for an unknown name, a column or level not in the data (the message lists the
 * ones there are), a bad target spec, or a malformed file (the message names the file and line);
 * {@link java.io.UncheckedIOException} when a file cannot be read; {@link IllegalStateException} when a named data
 * set cannot be fetched (the message names the failed command and says how to get the file by hand).
 *
 * <p>This class is thread-safe: it holds no state besides the files in the cache directory.
 */
public final class Datasets {
    private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);

    private Datasets() {
    }

    /**
     * Loads a named data set or a file with the given target spec; see the class comment for both.
     *
     * @param nameOrFile a name from {@link #names()}, or a path to an {@code .arff}, {@code .csv} or {@code .json}
     *                   file
     * @param target the target spec: {@code COL}, {@code COL=LEVEL}, {@code COL>NUMBER} or {@code COL<NUMBER}
     * @return the encoded table, rows in file order
     * @throws IllegalArgumentException for an unknown name or file, a bad target spec, or a malformed file
     * @throws java.io.UncheckedIOException when the file cannot be read
     * @throws IllegalStateException when a named data set is not cached and cannot be fetched
     */
    public static Table load(String nameOrFile, String target) {
        Objects.requireNonNull(nameOrFile, "nameOrFile");
        Optional<Catalog> named = Catalog.find(nameOrFile);
        Path file = named.map(set -> Fetcher.fetch(set, Fetcher.cache())).orElseGet(() -> Path.of(nameOrFile));
        String name = named.map(set -> set.id).orElseGet(() -> Readers.baseName(file));
        Encoding.Result result = Encoding.encode(name, Readers.read(file), target);
        Table table = result.table();
        LOG.info("Loaded {} from {}: {} rows, {} features, target {}; dropped {} rows whose target is missing",
                name, file, table.rows(), table.width(), target, result.dropped());
        return table;
    }

    /**
     * Loads a named data set with its default target: {@code class=bad} for credit-g,
     * {@code class=tested_positive} for diabetes, {@code delay>15} for flights.
     *
     * @param nameOrFile a name from {@link #names()}; a file has no default target
     * @return the encoded table
     * @throws IllegalArgumentException for a file (the message lists its columns, to pick a target from) or an
     *                                  unknown name
     * @throws IllegalStateException when the data set is not cached and cannot be fetched
     */
    public static Table load(String nameOrFile) {
        Objects.requireNonNull(nameOrFile, "nameOrFile");
        Optional<Catalog> named = Catalog.find(nameOrFile);
        if (named.isPresent()) {
            return load(nameOrFile, named.get().defaultTarget);
        }
        List<String> columns = Column.names(Readers.read(Path.of(nameOrFile)));
        throw new IllegalArgumentException("'" + nameOrFile + "' is a file, which has no default target; give one: "
                + "Datasets.load(\"" + nameOrFile + "\", \"COL\"), or COL=LEVEL, COL>NUMBER, COL<NUMBER, where COL"
                + " is one of: " + String.join(", ", columns));
    }

    /**
     * The local file of a named data set, fetched on first use into the cache directory: {@code $STARLING_DATA}
     * if set, else {@code ~/.cache/starling/datasets}. Once the file is there it is used without any network.
     * credit-g and diabetes come from Debian's {@code weka} package ({@code apt-get download weka}, with one
     * {@code apt-get update} and a retry if that fails, then {@code dpkg-deb -x}); flights from the npm package
     * {@code vega-datasets@3.2.1} ({@code npm pack}, then {@code tar}). Each command has a 2-minute timeout. The
     * file is written to a temporary name and renamed into place, so a half-fetched file is never used.
     *
     * @param name a name from {@link #names()}
     * @return the path of the data set's file
     * @throws IllegalArgumentException for an unknown name
     * @throws IllegalStateException when a command fails; the message names the command, its exit code and last
     *                               stderr lines, and says how to get the file by hand and where to put it
     * @throws java.io.UncheckedIOException when the cache directory cannot be written
     */
    public static Path fetch(String name) {
        return Fetcher.fetch(Catalog.named(name), Fetcher.cache());
    }

    /**
     * The names of the data sets that {@link #load(String)} and {@link #fetch(String)} know.
     *
     * @return {@code credit-g}, {@code diabetes}, {@code flights}
     */
    public static List<String> names() {
        return Catalog.NAMES;
    }

    /**
     * What is known of a named data set's origin and licence, as found in the package it is fetched from.
     *
     * @param name a name from {@link #names()}
     * @return a paragraph of plain text
     * @throws IllegalArgumentException for an unknown name
     */
    public static String licence(String name) {
        return Catalog.named(name).licence;
    }
}
