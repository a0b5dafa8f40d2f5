import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.WorkerOptions;
import dev.starling.WorkerSession;
import java.util.Map;

/**
 * Memory per finished task in the memory store: a worker session creates and finishes N tasks with small inputs
 * and outputs ({"x": i} -> {"y": 2i}), and the heap in use after a full GC is compared with the heap before.
 * Arguments: N (default 1,000,000), then the retention (keep, the default, or drop-read: with no reader open, every
 * payload is dropped as its task finishes). Run by bench/memory-per-task.sh.
 */
public class MemoryPerTask {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String retention = args.length > 1 ? args[1] : "keep";
        try (Store store = Store.open("memory?retention=" + retention)) {
            Network network = Network.builder(store, "memory").create();
            long before = used();
            try (WorkerSession session = network.openSession(WorkerOptions.defaults())) {
                for (int i = 0; i < n; i++) {
                    Task t = session.create(Map.of("x", i)).orElseThrow();
                    session.finish(t, Map.of("y", 2 * i));
                }
            }
            long after = used();
            System.out.printf("%d finished tasks, retention %s: %.0f MB in use, %.0f bytes per task (inputs {\"x\": i},"
                    + " outputs {\"y\": 2i})%n", n, retention, (after - before) / 1e6, (after - before) / (double) n);
            if (network.counts().finished() != n) {
                throw new IllegalStateException("finished " + network.counts().finished() + " of " + n);
            }
        }
    }

    private static long used() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
