package dev.starling.tune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * A generated CSV data set the tests read with the real loader: a learnable binary label ({@code label}, yes or no)
 * from two numeric columns, one with missing values, and a categorical column.
 */
final class Generated {
    private Generated() {
    }

    /** Writes {@code rows} rows to {@code dir}/generated.csv and returns the file. */
    static Path csv(Path dir, int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder("x1,x2,colour,label\n");
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            String colour = colours[random.nextInt(3)];
            double score = 1.5 * x1 - x2 * x2 + (colour.equals("red") ? 1 : 0) + 0.5 * random.nextGaussian();
            boolean missing = random.nextInt(10) == 0;
            out.append(String.format(Locale.ROOT, "%.4f,%s,%s,%s%n", x1, missing ? "" : String.format(Locale.ROOT,
                    "%.4f", x2), colour, score > 0 ? "yes" : "no"));
        }
        try {
            Path file = dir.resolve("generated.csv");
            Files.writeString(file, out);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
