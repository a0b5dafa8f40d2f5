package dev.starling.tune;

import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;

/**
 * XGBoost boosters kept after their fit, so that an evaluation of the same configuration with more rounds (a
 * promotion to the next rung of successive halving) continues training where the last one stopped instead of
 * starting again. Keyed by the configuration without its rounds, and the fold. Least recently used boosters are
 * disposed beyond the capacity: a booster's trees live in native memory, up to tens of megabytes for deep trees and
 * hundreds of rounds. Thread-safe; a booster taken out is the taker's alone until put back.
 */
final class Boosters {
    private final int capacity;
    private final LinkedHashMap<Key, Trained> kept = new LinkedHashMap<>(16, 0.75f, true);

    /** A booster trained for {@code rounds} rounds. */
    record Trained(Booster booster, int rounds) {
    }

    private record Key(Map<String, Object> config, int fold) {
    }

    Boosters(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the booster cache needs room for at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Takes out the booster kept for {@code config} (without its rounds) on {@code fold} if it has at most
     * {@code rounds} rounds, so that it can be trained further; null when there is none.
     */
    synchronized Trained take(Map<String, Object> config, int fold, int rounds) {
        Key key = new Key(config, fold);
        Trained trained = kept.get(key);
        if (trained == null || trained.rounds() > rounds) {
            return null;
        }
        kept.remove(key);
        return trained;
    }

    /** Keeps {@code booster}, disposing of the one it replaces and of the least recently used beyond capacity. */
    synchronized void put(Map<String, Object> config, int fold, Booster booster, int rounds) {
        Trained old = kept.put(new Key(Map.copyOf(config), fold), new Trained(booster, rounds));
        if (old != null && old.booster() != booster) {
            old.booster().dispose();
        }
        var eldest = kept.entrySet().iterator();
        while (kept.size() > capacity) {
            eldest.next().getValue().booster().dispose();
            eldest.remove();
        }
    }

    /** How many boosters are kept. */
    synchronized int size() {
        return kept.size();
    }
}
