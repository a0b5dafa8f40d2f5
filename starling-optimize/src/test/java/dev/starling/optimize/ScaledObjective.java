package dev.starling.optimize;

import java.util.Map;

/** A configured objective for the spec tests: {@code scale * x}. Public and top-level, as worker processes need. */
public final class ScaledObjective implements Objective.Configured<ScaledObjective.Settings> {
    private final Settings settings;

    /** Its settings. */
    public record Settings(double scale, String label) {
    }

    public ScaledObjective(Settings settings) {
        this.settings = settings;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public Object evaluate(Map<String, Object> config) {
        return Map.of("y", settings.scale() * (Double) config.get("x"), "trace", java.util.List.of(1, 2.5));
    }
}
