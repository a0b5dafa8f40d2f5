/** Test support for Starling stores and their users: the contract suites, a manual scheduler, a real Redis. */
module dev.starling.testkit {
    requires transitive dev.starling.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.starling.testkit;
}
