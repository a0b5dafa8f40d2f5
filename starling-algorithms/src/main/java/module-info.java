/**
 * Iterative numerical algorithms on a Starling network, written with the futures API: asynchronous consensus ADMM for
 * the lasso. EJML's jars are automatic modules named after their files ("module" warnings are expected).
 */
@SuppressWarnings("module")
module dev.starling.algorithms {
    requires transitive dev.starling.core;
    requires ejml.core;
    requires ejml.ddense;
    requires org.slf4j;

    exports dev.starling.algorithms.admm;
    opens dev.starling.algorithms.admm to com.fasterxml.jackson.databind;
}
