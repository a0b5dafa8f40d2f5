package dev.starling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The memory store's retention: payloads of completed tasks that every open reader has read are dropped. */
class MemoryRetentionTest {

    @Test
    void withNoReaderOpen_dropRead_dropsPayloadsAsTasksComplete() {
        try (Store store = Store.memory(Retention.DROP_READ)) {
            Network network = Network.builder(store, "r").create();
            finish(network, 3);

            assertThat(network.counts().finished()).isEqualTo(3);
            assertThat(network.tasks(TaskState.FINISHED)).extracting(Task::id).containsExactly(1L, 2L, 3L);
            assertThat(network.tasks(TaskState.FINISHED)).allSatisfy(MemoryRetentionTest::bare);
            assertThat(network.completedSince(0, 10).tasks()).allSatisfy(MemoryRetentionTest::bare);
            assertThat(network.tasks(TaskState.FINISHED).getFirst().worker()).isNotNull();
        }
    }

    @Test
    void anOpenArchive_holdsBackTheDrop_untilItHasRead_andGetsThePayloadsOnce() {
        try (Store store = Store.memory(Retention.DROP_READ)) {
            Network network = Network.builder(store, "r").create();
            try (Archive archive = network.archive()) {
                finish(network, 2);
                assertThat(network.tasks(TaskState.FINISHED)).as("not read yet").allSatisfy(MemoryRetentionTest::whole);

                List<Task> read = archive.update();

                assertThat(read).hasSize(2).allSatisfy(MemoryRetentionTest::whole);
                assertThat(read.get(1).ys()).containsEntry("y", 4);
                assertThat(network.tasks(TaskState.FINISHED)).as("read by all").allSatisfy(MemoryRetentionTest::bare);
                assertThat(archive.tasks()).as("the archive keeps no payload either")
                        .allSatisfy(MemoryRetentionTest::bare);
            }
        }
    }

    @Test
    void twoReaders_dropOnlyWhatBothRead_andClosingTheSlowOneLetsGo() {
        try (Store store = Store.memory(Retention.DROP_READ)) {
            Network network = Network.builder(store, "r").create();
            Archive fast = network.archive();
            Archive slow = network.archive();
            finish(network, 2);
            fast.update();
            assertThat(network.tasks(TaskState.FINISHED)).as("slow has not read").allSatisfy(MemoryRetentionTest::whole);

            slow.close();

            assertThat(network.tasks(TaskState.FINISHED)).allSatisfy(MemoryRetentionTest::bare);
            finish(network, 1);
            assertThat(network.tasks(TaskState.FINISHED).getLast()).as("fast has not read it")
                    .satisfies(MemoryRetentionTest::whole);
            assertThat(fast.update()).singleElement().satisfies(MemoryRetentionTest::whole);
            assertThat(network.tasks(TaskState.FINISHED).getLast()).satisfies(MemoryRetentionTest::bare);
            fast.close();
        }
    }

    @Test
    void byDefault_everyPayloadIsKept() {
        try (Store store = Store.memory()) {
            Network network = Network.builder(store, "r").create();
            try (Archive archive = network.archive()) {
                finish(network, 2);
                assertThat(archive.update()).hasSize(2);
                assertThat(network.tasks(TaskState.FINISHED)).allSatisfy(MemoryRetentionTest::whole);
                assertThat(archive.tasks()).allSatisfy(MemoryRetentionTest::whole);
            }
        }
    }

    @Test
    void aMemoryLocation_namesItsRetention_andABadOneIsRefusedByName() {
        try (Store store = Store.open("memory?retention=drop-read")) {
            Network network = Network.builder(store, "r").create();
            finish(network, 1);
            assertThat(network.tasks(TaskState.FINISHED)).allSatisfy(MemoryRetentionTest::bare);
        }
        try (Store store = Store.open("memory?retention=keep")) {
            Network network = Network.builder(store, "r").create();
            finish(network, 1);
            assertThat(network.tasks(TaskState.FINISHED)).allSatisfy(MemoryRetentionTest::whole);
        }
        assertThatThrownBy(() -> Store.open("memory?retention=forever")).isInstanceOf(StarlingException.class)
                .hasMessageContaining("retention must be keep or drop-read, was 'forever'");
        assertThatThrownBy(() -> Store.open("memory?retain=all")).isInstanceOf(StarlingException.class)
                .hasMessageContaining("retention=keep|drop-read");
    }

    /** Creates and finishes {@code n} tasks, inputs {"x": i} and outputs {"y": 2i}, from one worker session. */
    private static void finish(Network network, int n) {
        try (WorkerSession session = network.openSession(WorkerOptions.defaults())) {
            for (int i = 1; i <= n; i++) {
                Task t = session.create(Map.of("x", i)).orElseThrow();
                session.finish(t, Map.of("y", 2 * i));
            }
        }
    }

    private static void whole(Task task) {
        assertThat(task.xs()).containsKey("x");
        assertThat(task.ys()).containsKey("y");
    }

    private static void bare(Task task) {
        assertThat(task.xs()).isEmpty();
        assertThat(task.ys()).isEmpty();
        assertThat(task.state()).isEqualTo(TaskState.FINISHED);
        assertThat(task.finished()).isNotNull();
    }
}
