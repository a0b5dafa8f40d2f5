/**
 * Tuning real models: a {@link dev.starling.tune.Learner} (XGBoost or LightGBM) scored by
 * {@link dev.starling.tune.CrossValidation} with seeded, stratified {@link dev.starling.tune.Folds} and a
 * {@link dev.starling.tune.Metric}, offered to an optimization as the {@link dev.starling.tune.TuneObjective}.
 */
package dev.starling.tune;
