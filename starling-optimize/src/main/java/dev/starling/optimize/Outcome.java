package dev.starling.optimize;

/**
 * A named result of an objective and whether it is minimized or maximized. Immutable.
 *
 * @param name     the outcome's name, a key of the objective's result
 * @param maximize true to maximize, false to minimize
 */
public record Outcome(String name, boolean maximize) {
    public Outcome {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an outcome needs a name");
        }
    }

    /** An outcome to minimize. */
    public static Outcome minimize(String name) {
        return new Outcome(name, false);
    }

    /** An outcome to maximize. */
    public static Outcome maximize(String name) {
        return new Outcome(name, true);
    }

    /** The value as a loss: itself when minimized, its negation when maximized. */
    public double loss(double value) {
        return maximize ? -value : value;
    }

    @Override
    public String toString() {
        return (maximize ? "maximize " : "minimize ") + name;
    }
}
