/**
 * Starling core: the public API, the store SPI, the in-process memory store and the worker runtime. The internals
 * are exported only to the sibling modules that build on them ("module not found" is expected while compiling core
 * alone, before its siblings exist).
 */
@SuppressWarnings("module")
module dev.starling.core {
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires org.slf4j;

    exports dev.starling;
    exports dev.starling.futures;
    exports dev.starling.spi;
    exports dev.starling.internal to dev.starling.redis, dev.starling.optimize, dev.starling.algorithms, dev.starling.cli;

    uses dev.starling.spi.StoreProvider;
}
