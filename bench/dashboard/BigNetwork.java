import dev.starling.*;
import java.util.*;

/**
 * Fills network {@code big-448} in the Redis store given as the first argument with 448 registered workers (sessions)
 * that finish TASKS tasks between them (about one in a hundred fails), then keeps the workers alive for HOLD ms:
 * a network the size that the dashboard must stay smooth with. Run by bench/dashboard-smoothness.sh.
 */
public class BigNetwork {
    public static void main(String[] args) throws Exception {
        int workers = 448, tasks = Integer.parseInt(args[1]);
        try (Store store = Store.open(args[0])) {
            Network network = Network.builder(store, "big-448").create();
            List<WorkerSession> sessions = new ArrayList<>();
            for (int i = 0; i < workers; i++) sessions.add(network.openSession(WorkerOptions.defaults()));
            long t0 = System.nanoTime();
            for (int n = 0; n < tasks; n++) {
                WorkerSession s = sessions.get(n % workers);
                Task t = s.create(Map.of("n", n)).orElseThrow();
                if (n % 97 == 5) s.fail(t, new IllegalStateException("task " + n + " refused"));
                else s.finish(t, Map.of("y", n));
            }
            System.out.printf("%d tasks in %.1f s%n", tasks, (System.nanoTime() - t0) / 1e9);
            Thread.sleep(Long.parseLong(args[2]));
            for (WorkerSession s : sessions) s.close();
        }
    }
}
