package dev.starling.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.QueueLoop;
import dev.starling.StarlingException;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * What a Redis Cluster adds to the contract suites: the store finds the cluster from any node's URL, networks spread
 * over the nodes by their hash tags (each network's keys all on the node that serves its slot), listing finds the
 * networks of every node, and deleting a network asks only its own node for its own slot, with no SCAN.
 */
@Timeout(120)
class RedisClusterTest {
    private static TestRedis.Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestRedis.startCluster(3);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void anyNodesUrl_findsTheCluster_andNetworksSpreadOverTheNodesByTheirHashTags() throws Exception {
        List<String> names = IntStream.range(0, 12).mapToObj(i -> "spread-" + i).toList();
        // The URL of the last node, which serves none of the low slots: the client must follow the slot map.
        try (RedisStore store = RedisStore.open(cluster.nodes().get(2).url())) {
            assertThat(store.cluster()).isTrue();
            for (String name : names) {
                try (Controller c = Network.builder(store, name).create().controller()) {
                    List<Long> ids = c.push(IntStream.range(0, 20).mapToObj(i -> Map.of("x", i)).toList());
                    c.startWorkers(2, (QueueLoop) task -> Map.of("y", 2 * ((Number) task.xs().get("x")).intValue()));
                    assertThat(c.await(ids, Duration.ofSeconds(30))).isTrue();
                    assertThat(c.completed()).hasSize(20)
                            .allSatisfy(t -> assertThat(t.ys().get("y")).isEqualTo(2 * ((Number) t.xs().get("x"))
                                    .intValue()));
                    c.terminateWorkers();
                    assertThat(c.awaitWorkers(Duration.ofSeconds(10))).isTrue();
                }
            }
            Map<Integer, List<String>> byNode = new HashMap<>();
            for (String name : names) {
                String prefix = RedisNetworkStore.prefix(name);
                int node = nodeHolding(prefix + "settings");
                byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(name);
                assertThat(cluster.nodes().get(node).command("EXISTS", prefix + "counts")).startsWith(":1");
            }
            assertThat(byNode).as("networks by node").hasSize(3);
            assertThat(store.networks()).containsAll(names);
        }
    }

    @Test
    void delete_removesExactlyItsNetworksKeys_fromItsOwnSlot_withoutScan() throws Exception {
        try (Store store = RedisStore.open(cluster.url())) {
            // "twin" shares the slot of "d" (found by searching names): deleting "d" must leave it whole.
            int slot = JedisClusterCRC16.getSlot("d");
            String twin = IntStream.range(0, 1_000_000).mapToObj(i -> "t" + i)
                    .filter(n -> JedisClusterCRC16.getSlot(n) == slot).findFirst().orElseThrow();
            for (String name : List.of("d", "dd", twin)) {
                try (Controller c = Network.builder(store, name).create().controller()) {
                    c.push(IntStream.range(0, 50).mapToObj(i -> Map.of("x", i)).toList());
                }
            }
            long scansBefore = scans();
            Network.open(store, "d").delete();
            assertThat(scans()).as("SCAN calls on all nodes").isEqualTo(scansBefore);
            assertThat(keysOn(RedisNetworkStore.prefix("d"))).isZero();
            assertThat(keysOn(RedisNetworkStore.prefix("dd"))).isPositive();
            assertThat(keysOn(RedisNetworkStore.prefix(twin))).isPositive();
            try (Controller c = Network.open(store, twin).controller()) {
                assertThat(c.counts().queued()).isEqualTo(50);
            }
            assertThat(store.networks()).contains("dd", twin).doesNotContain("d");
        }
    }

    @Test
    void theLeastPrivilegeUser_withTheClusterAdditions_runsDeletesAndListsNetworks() throws Exception {
        for (TestRedis.Server node : cluster.nodes()) {
            try (Jedis admin = new Jedis("127.0.0.1", node.port())) {
                admin.aclSetUser(LeastPrivilege.USER, LeastPrivilege.rule(LeastPrivilege.RULE + " "
                        + LeastPrivilege.CLUSTER));
            }
        }
        String url = "redis://" + LeastPrivilege.USER + ":" + LeastPrivilege.PASSWORD + "@127.0.0.1:"
                + cluster.nodes().get(1).port();
        try (RedisStore store = RedisStore.open(url)) {
            assertThat(store.cluster()).isTrue();
            List<String> names = List.of("acl-a", "acl-b", "acl-c", "acl-d");
            for (String name : names) {
                try (Controller c = Network.builder(store, name).create().controller()) {
                    List<Long> ids = c.push(IntStream.range(0, 10).mapToObj(i -> Map.of("x", i)).toList());
                    c.startWorkers(1, (QueueLoop) task -> Map.of("y", 1));
                    assertThat(c.await(ids, Duration.ofSeconds(30))).isTrue();
                    c.terminateWorkers();
                    assertThat(c.awaitWorkers(Duration.ofSeconds(10))).isTrue();
                }
            }
            assertThat(store.networks()).containsAll(names);
            Network.open(store, "acl-a").delete();
            assertThat(store.networks()).doesNotContain("acl-a").contains("acl-b");
        }
    }

    @Test
    void aUserWithoutTheClusterAdditions_getsAnErrorNamingWhatToGrant() {
        String url = "redis://nocluster:" + LeastPrivilege.PASSWORD + "@127.0.0.1:" + cluster.nodes().get(0).port();
        for (String missing : LeastPrivilege.CLUSTER.split(" ")) {
            for (TestRedis.Server node : cluster.nodes()) {
                try (Jedis admin = new Jedis("127.0.0.1", node.port())) {
                    admin.aclSetUser("nocluster", "reset");
                    admin.aclSetUser("nocluster", LeastPrivilege.rule(LeastPrivilege.RULE + " "
                            + LeastPrivilege.CLUSTER.replace(missing, "")));
                }
            }
            assertThatThrownBy(() -> {
                try (Store store = RedisStore.open(url)) {
                    Network.builder(store, "nocluster").create().delete();
                }
            }).as("without %s", missing).isInstanceOf(StarlingException.class)
                    .hasMessageContaining("ACL SETUSER nocluster " + missing);
        }
    }

    @Test
    void theReadmeGivesTheClusterAdditions() throws Exception {
        assertThat(Files.readString(Path.of("..", "README.md"))).contains(LeastPrivilege.CLUSTER);
    }

    /** The index of the node that serves {@code key}'s slot. */
    private static int nodeHolding(String key) {
        String slotReply = cluster.nodes().get(0).command("CLUSTER", "KEYSLOT", key);
        int slot = Integer.parseInt(slotReply.strip().substring(1));
        return slot * cluster.nodes().size() / 16_384;
    }

    /** How many keys with {@code prefix} the cluster holds, counted on its node for its slot. */
    private static long keysOn(String prefix) {
        String slotReply = cluster.nodes().get(0).command("CLUSTER", "KEYSLOT", prefix);
        int slot = Integer.parseInt(slotReply.strip().substring(1));
        TestRedis.Server node = cluster.nodes().get(nodeHolding(prefix));
        int count = Integer.parseInt(node.command("CLUSTER", "COUNTKEYSINSLOT", Integer.toString(slot)).strip()
                .substring(1));
        String keys = node.command("CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), Integer.toString(count + 1));
        return keys.lines().filter(line -> line.startsWith(prefix)).count();
    }

    /** SCAN calls served by all nodes so far, from {@code INFO commandstats}. */
    private static long scans() {
        long total = 0;
        for (TestRedis.Server node : cluster.nodes()) {
            for (String line : node.command("INFO", "commandstats").split("\r\n")) {
                if (line.startsWith("cmdstat_scan:calls=")) {
                    total += Long.parseLong(line.substring("cmdstat_scan:calls=".length(), line.indexOf(',')));
                }
            }
        }
        return total;
    }
}
