/**
 * Starling tune: real models as objectives of an optimization. Gradient boosting (XGBoost, LightGBM) evaluated by
 * seeded, stratified k-fold cross-validation on a {@link dev.starling.data.Table}. The only module with native
 * libraries; {@code starling-optimize} stays free of them.
 */
@SuppressWarnings("module")
module dev.starling.tune {
    requires transitive dev.starling.optimize;
    requires transitive dev.starling.data;
    requires ml.dmlc.xgboost4j;
    requires lightgbmlib;
    requires org.slf4j;

    exports dev.starling.tune;
    opens dev.starling.tune to com.fasterxml.jackson.databind;
}
