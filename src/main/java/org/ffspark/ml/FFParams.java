package org.ffspark.ml;

import java.util.Map;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The training Params the estimator and its model share: one per training key that a Spark ML user
 * sets ({@link org.ffspark.config.ConfigKey#mlParam()}), made from the key table by {@link ParamTable}
 * with the key's default and meaning, under MLlib's names where MLlib has one ({@code maxIter},
 * {@code stepSize}, {@code seed}). The accessors below are the typed face of that table: Spark finds
 * a Param through its public no-argument accessor, and Java users read it through its getter.
 */
public interface FFParams extends Params {
    /** This instance's Params of the training keys, by Param name. */
    Map<String, Param<?>> ffParams();

    private Param<?> ffParam(String name) {
        return ffParams().get(name);
    }

    /** The hidden widths, parsed from {@link #getHidden()}. */
    default int[] getHiddenWidths() {
        return java.util.Arrays.stream(getHidden().split(",")).map(String::trim).mapToInt(Integer::parseInt)
                .toArray();
    }

    /** The training key {@code seed}. */
    @SuppressWarnings("unchecked")
    default LongParam seed() {
        return (LongParam) ffParam("seed");
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    /** The training key {@code model}. */
    @SuppressWarnings("unchecked")
    default Param<String> model() {
        return (Param<String>) ffParam("model");
    }

    default String getModel() {
        return (String) getOrDefault(model());
    }

    /** The training key {@code hidden}. */
    @SuppressWarnings("unchecked")
    default Param<String> hidden() {
        return (Param<String>) ffParam("hidden");
    }

    default String getHidden() {
        return (String) getOrDefault(hidden());
    }

    /** The training key {@code goodness}. */
    @SuppressWarnings("unchecked")
    default Param<String> goodness() {
        return (Param<String>) ffParam("goodness");
    }

    default String getGoodness() {
        return (String) getOrDefault(goodness());
    }

    /** The training key {@code threshold}. */
    @SuppressWarnings("unchecked")
    default Param<String> goodnessThreshold() {
        return (Param<String>) ffParam("goodnessThreshold");
    }

    default String getGoodnessThreshold() {
        return (String) getOrDefault(goodnessThreshold());
    }

    /** The training key {@code norm}. */
    @SuppressWarnings("unchecked")
    default Param<String> norm() {
        return (Param<String>) ffParam("norm");
    }

    default String getNorm() {
        return (String) getOrDefault(norm());
    }

    /** The training key {@code scoreFrom}. */
    @SuppressWarnings("unchecked")
    default IntParam scoreFrom() {
        return (IntParam) ffParam("scoreFrom");
    }

    default int getScoreFrom() {
        return (Integer) getOrDefault(scoreFrom());
    }

    /** The training key {@code readout}. */
    @SuppressWarnings("unchecked")
    default Param<String> readout() {
        return (Param<String>) ffParam("readout");
    }

    default String getReadout() {
        return (String) getOrDefault(readout());
    }

    /** The training key {@code classifier}. */
    @SuppressWarnings("unchecked")
    default Param<String> classifier() {
        return (Param<String>) ffParam("classifier");
    }

    default String getClassifier() {
        return (String) getOrDefault(classifier());
    }

    /** The training key {@code iterations}. */
    @SuppressWarnings("unchecked")
    default IntParam iterations() {
        return (IntParam) ffParam("iterations");
    }

    default int getIterations() {
        return (Integer) getOrDefault(iterations());
    }

    /** The training key {@code damping}. */
    @SuppressWarnings("unchecked")
    default DoubleParam damping() {
        return (DoubleParam) ffParam("damping");
    }

    default double getDamping() {
        return (Double) getOrDefault(damping());
    }

    /** The training key {@code scoreIterations}. */
    @SuppressWarnings("unchecked")
    default Param<String> scoreIterations() {
        return (Param<String>) ffParam("scoreIterations");
    }

    default String getScoreIterations() {
        return (String) getOrDefault(scoreIterations());
    }

    /** The training key {@code epochs}. */
    @SuppressWarnings("unchecked")
    default IntParam maxIter() {
        return (IntParam) ffParam("maxIter");
    }

    default int getMaxIter() {
        return (Integer) getOrDefault(maxIter());
    }

    /** The training key {@code batchSize}. */
    @SuppressWarnings("unchecked")
    default IntParam batchSize() {
        return (IntParam) ffParam("batchSize");
    }

    default int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }

    /** The training key {@code optimizer}. */
    @SuppressWarnings("unchecked")
    default Param<String> optimizer() {
        return (Param<String>) ffParam("optimizer");
    }

    default String getOptimizer() {
        return (String) getOrDefault(optimizer());
    }

    /** The training key {@code lr}. */
    @SuppressWarnings("unchecked")
    default DoubleParam stepSize() {
        return (DoubleParam) ffParam("stepSize");
    }

    default double getStepSize() {
        return (Double) getOrDefault(stepSize());
    }

    /** The training key {@code lrScaling}. */
    @SuppressWarnings("unchecked")
    default Param<String> lrScaling() {
        return (Param<String>) ffParam("lrScaling");
    }

    default String getLrScaling() {
        return (String) getOrDefault(lrScaling());
    }

    /** The training key {@code lrBaseBatch}. */
    @SuppressWarnings("unchecked")
    default IntParam lrBaseBatch() {
        return (IntParam) ffParam("lrBaseBatch");
    }

    default int getLrBaseBatch() {
        return (Integer) getOrDefault(lrBaseBatch());
    }

    /** The training key {@code lrDecay}. */
    @SuppressWarnings("unchecked")
    default Param<String> lrDecay() {
        return (Param<String>) ffParam("lrDecay");
    }

    default String getLrDecay() {
        return (String) getOrDefault(lrDecay());
    }

    /** The training key {@code beta1}. */
    @SuppressWarnings("unchecked")
    default DoubleParam beta1() {
        return (DoubleParam) ffParam("beta1");
    }

    default double getBeta1() {
        return (Double) getOrDefault(beta1());
    }

    /** The training key {@code beta2}. */
    @SuppressWarnings("unchecked")
    default DoubleParam beta2() {
        return (DoubleParam) ffParam("beta2");
    }

    default double getBeta2() {
        return (Double) getOrDefault(beta2());
    }

    /** The training key {@code adamEpsilon}. */
    @SuppressWarnings("unchecked")
    default DoubleParam adamEpsilon() {
        return (DoubleParam) ffParam("adamEpsilon");
    }

    default double getAdamEpsilon() {
        return (Double) getOrDefault(adamEpsilon());
    }

    /** The training key {@code momentum}. */
    @SuppressWarnings("unchecked")
    default DoubleParam momentum() {
        return (DoubleParam) ffParam("momentum");
    }

    default double getMomentum() {
        return (Double) getOrDefault(momentum());
    }

    /** The training key {@code weightDecay}. */
    @SuppressWarnings("unchecked")
    default DoubleParam weightDecay() {
        return (DoubleParam) ffParam("weightDecay");
    }

    default double getWeightDecay() {
        return (Double) getOrDefault(weightDecay());
    }

    /** The training key {@code peerNorm}. */
    @SuppressWarnings("unchecked")
    default DoubleParam peerNorm() {
        return (DoubleParam) ffParam("peerNorm");
    }

    default double getPeerNorm() {
        return (Double) getOrDefault(peerNorm());
    }

    /** The training key {@code products}. */
    @SuppressWarnings("unchecked")
    default Param<String> products() {
        return (Param<String>) ffParam("products");
    }

    default String getProducts() {
        return (String) getOrDefault(products());
    }

    /** The training key {@code readoutLr}. */
    @SuppressWarnings("unchecked")
    default DoubleParam readoutStepSize() {
        return (DoubleParam) ffParam("readoutStepSize");
    }

    default double getReadoutStepSize() {
        return (Double) getOrDefault(readoutStepSize());
    }

    /** The training key {@code readoutWeightDecay}. */
    @SuppressWarnings("unchecked")
    default DoubleParam readoutWeightDecay() {
        return (DoubleParam) ffParam("readoutWeightDecay");
    }

    default double getReadoutWeightDecay() {
        return (Double) getOrDefault(readoutWeightDecay());
    }

    /** The training key {@code negatives}. */
    @SuppressWarnings("unchecked")
    default Param<String> negatives() {
        return (Param<String>) ffParam("negatives");
    }

    default String getNegatives() {
        return (String) getOrDefault(negatives());
    }

    /** The training key {@code sync}. */
    @SuppressWarnings("unchecked")
    default Param<String> sync() {
        return (Param<String>) ffParam("sync");
    }

    default String getSync() {
        return (String) getOrDefault(sync());
    }

    /** The training key {@code partitions}. */
    @SuppressWarnings("unchecked")
    default IntParam partitions() {
        return (IntParam) ffParam("partitions");
    }

    default int getPartitions() {
        return (Integer) getOrDefault(partitions());
    }

    /** The training key {@code trainAccuracyImages}. */
    @SuppressWarnings("unchecked")
    default IntParam trainAccuracyImages() {
        return (IntParam) ffParam("trainAccuracyImages");
    }

    default int getTrainAccuracyImages() {
        return (Integer) getOrDefault(trainAccuracyImages());
    }
}
