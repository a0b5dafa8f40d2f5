package dev.starling.internal;

/** Where scattered values live: network attributes named {@code scatter:NAME}, deleted with the network. */
public final class Scatter {
    private Scatter() {
    }

    /** The attribute that holds the value scattered under {@code name}. */
    public static String attribute(String name) {
        return "scatter:" + name;
    }
}
