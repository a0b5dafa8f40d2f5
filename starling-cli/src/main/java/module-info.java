/**
 * The starling command. picocli fills the commands' fields reflectively, hence the opens. XChart's jar is an automatic
 * module named after its file ("module" warnings are expected).
 */
@SuppressWarnings({"module", "requires-automatic"})
module dev.starling.cli {
    requires dev.starling.algorithms;
    requires dev.starling.core;
    requires dev.starling.optimize;
    requires dev.starling.redis;
    requires dev.starling.tune;
    requires info.picocli;
    requires java.desktop;
    requires me.tongfei.progressbar;
    requires xchart;

    opens dev.starling.cli to info.picocli;
}
