/**
 * Iterative numerical algorithms on a Starling network, written with the futures API: the init / worker step / central
 * step framework and asynchronous ADMM.
 */
module dev.starling.algorithms {
    requires transitive dev.starling.core;
    requires dev.starling.data;
    requires org.slf4j;

    exports dev.starling.algorithms;
    exports dev.starling.algorithms.admm;
    exports dev.starling.algorithms.linear;
    opens dev.starling.algorithms to com.fasterxml.jackson.databind;
    opens dev.starling.algorithms.admm to com.fasterxml.jackson.databind;
    opens dev.starling.algorithms.linear to com.fasterxml.jackson.databind;
}
