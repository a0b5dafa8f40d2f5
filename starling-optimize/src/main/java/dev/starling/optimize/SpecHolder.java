package dev.starling.optimize;

import dev.starling.Network;

/** The spec of a loop: given in-process, or read once from the network by a worker process. Thread-safe. */
final class SpecHolder {
    private volatile Spec spec;

    SpecHolder(Spec spec) {
        this.spec = spec;
    }

    Spec get(Network network) {
        Spec known = spec;
        if (known == null) {
            synchronized (this) {
                known = spec;
                if (known == null) {
                    known = Spec.load(network).resolve();
                    spec = known;
                }
            }
        }
        return known;
    }
}
