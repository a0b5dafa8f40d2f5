/** The starling command. picocli fills the commands' fields reflectively, hence the opens. */
module dev.starling.cli {
    requires dev.starling.core;
    requires dev.starling.optimize;
    requires dev.starling.redis;
    requires info.picocli;
    requires me.tongfei.progressbar;

    opens dev.starling.cli to info.picocli;
}
