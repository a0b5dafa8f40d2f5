/** Black-box optimization on a Starling network: search spaces, objectives, terminators, archive, optimizers. */
@SuppressWarnings("module")
module dev.starling.optimize {
    requires transitive dev.starling.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires java.management;

    exports dev.starling.optimize;
    exports dev.starling.optimize.internal to dev.starling.benchmarks;
}
