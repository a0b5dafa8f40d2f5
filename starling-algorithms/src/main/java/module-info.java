/** Iterative numerical algorithms on a Starling network, written with the futures API: asynchronous ADMM. */
module dev.starling.algorithms {
    requires transitive dev.starling.core;
    requires org.slf4j;

    exports dev.starling.algorithms.admm;
    opens dev.starling.algorithms.admm to com.fasterxml.jackson.databind;
}
