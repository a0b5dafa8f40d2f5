/**
 * Starling's JMH benchmarks; not published. JMH has no module descriptor (an automatic module named from its jar),
 * and its generated classes reach the benchmark states reflectively, hence the opens.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.starling.benchmarks {
    requires dev.starling.core;
    requires dev.starling.optimize;
    requires dev.starling.redis;
    requires jmh.core;

    opens dev.starling.benchmarks;
}
