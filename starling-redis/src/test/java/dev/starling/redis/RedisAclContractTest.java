package dev.starling.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Scheduler;
import dev.starling.StarlingException;
import dev.starling.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Starling as the least-privilege ACL user: the store, runtime and futures contracts pass with exactly the
 * permissions of the README's rule, and a user that lacks one gets an error that names it.
 */
class RedisAclContractTest extends RedisContracts {
    @Override
    Store open(Scheduler scheduler) {
        return RedisStore.open(LeastPrivilege.url(), scheduler);
    }

    @Test
    void theReadmeGivesTheRuleTheseTestsUse() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme).contains("ACL SETUSER starling " + LeastPrivilege.RULE.replace("PASSWORD", "PASSWORD"));
    }

    @Test
    void onTheSystemClock_heartbeatsStampedByTheServersClock_needNoMoreThanTheRule() throws Exception {
        try (Store store = Store.open(LeastPrivilege.url());
             Controller controller = Network.builder(store, "acl-clock-" + System.nanoTime()).create().controller()) {
            List<Long> ids = controller.push(java.util.stream.IntStream.range(0, 20).mapToObj(i -> Map.of("x", i))
                    .toList());
            controller.startWorkers(2, (dev.starling.QueueLoop) task -> Map.of("y", 1));
            assertThat(controller.await(ids, java.time.Duration.ofSeconds(30))).isTrue();
            assertThat(controller.workers()).hasSize(2);
        }
    }

    @Test
    void aUserWithoutAPermissionItNeeds_getsAnErrorNamingIt() {
        LeastPrivilege.setUser("nocounts", LeastPrivilege.RULE.replace(" +hincrby", ""));
        try (Store store = Store.open(LeastPrivilege.url("nocounts"));
             Controller controller = Network.builder(store, "acl-" + System.nanoTime()).create().controller()) {
            assertThatThrownBy(() -> controller.push(List.of(Map.of("x", 1))))
                    .isInstanceOf(StarlingException.class)
                    .hasMessageContaining("denied user nocounts the permission to run the command hincrby")
                    .hasMessageContaining("ACL SETUSER nocounts +hincrby");
        }
    }

    @Test
    void aUserOutsideStarlingsKeys_getsAnErrorNamingTheKeys() {
        LeastPrivilege.setUser("elsewhere", LeastPrivilege.RULE.replace("~starling:*", "~other:*"));
        assertThatThrownBy(() -> {
            try (Store store = Store.open(LeastPrivilege.url("elsewhere"))) {
                Network.builder(store, "acl-keys").create();
            }
        }).isInstanceOf(StarlingException.class).hasMessageContaining("denied user elsewhere access to Starling's keys")
                .hasMessageContaining("~starling:*");
    }
}
