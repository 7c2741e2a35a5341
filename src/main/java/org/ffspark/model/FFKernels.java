package org.ffspark.model;

import org.ffspark.linalg.StepProfile;

/**
 * The computing kernels of either model, one set per thread (they keep work buffers between calls):
 * a training share's wrong labels and local gradients, and the scores of every label for a block of
 * images.
 */
public final class FFKernels {
    private static final ThreadLocal<LocalLearning> SIMPLE_LEARNING = ThreadLocal.withInitial(LocalLearning::new);
    private static final ThreadLocal<LabelScorer> SIMPLE_SCORING = ThreadLocal.withInitial(LabelScorer::new);
    private static final ThreadLocal<RecurrentLearning> RECURRENT = ThreadLocal.withInitial(RecurrentLearning::new);

    private FFKernels() {
    }

    /**
     * Draws the wrong label of every member of {@code samples} as {@code rule} says, then adds to
     * {@code out} their share of the step's loss and gradient (see {@link LocalLearning} and
     * {@link RecurrentLearning}), averaged over {@code batchSize}. Hard negatives are scored with the
     * weights the step then learns from; the simple model's first-layer scores and readout scores come
     * from products the step computes anyway.
     */
    public static void learn(FFNetwork net, StepSamples samples, LearningRule rule, int batchSize,
                             LayerGradients out) {
        int n = samples.count();
        int classes = net.classes();
        NegativeRule negatives = rule.negatives();
        if (net instanceof RecurrentFFNetwork recurrent) {
            RecurrentLearning learning = RECURRENT.get();
            if (negatives.hard() && n > 0) {
                learning.score(recurrent, samples.pixels(), n, samples.scores(classes));
                samples.drawHard(classes);
            } else {
                samples.drawUniform(classes);
            }
            learning.accumulate(recurrent, samples.pixels(), samples.positive(), samples.negative(), n, batchSize,
                    out);
            return;
        }
        SimpleFFNetwork simple = (SimpleFFNetwork) net;
        LocalLearning learning = SIMPLE_LEARNING.get();
        learning.begin(simple, samples.pixels(), n, rule.products());
        long t = StepProfile.start();
        if (!negatives.hard() || n == 0) {
            samples.drawUniform(classes);
        } else {
            float[] scores = samples.scores(classes);
            if (negatives.source() == NegativeRule.Source.READOUT) {
                learning.readoutLogits(scores);
            } else if (negatives.layers() == 1) {
                learning.firstLayerScores(scores);
            } else {
                int from = negatives.layers() == 0 ? simple.scoreFrom() : 0;
                int to = negatives.layers() == 0 ? simple.layers() : negatives.layers();
                SIMPLE_SCORING.get().score(simple, samples.pixels(), n, from, to, scores);
            }
            samples.drawHard(classes);
        }
        StepProfile.add("negatives: scores and draws", t, 0);
        learning.accumulate(samples.positive(), samples.negative(), batchSize, rule.peerNorm(), out);
    }

    /** The readout's inputs of {@code n} images: see {@link LabelScorer#readoutFeatures}. */
    public static void readoutFeatures(SimpleFFNetwork net, float[] pixels, int n, float[] features) {
        SIMPLE_SCORING.get().readoutFeatures(net, pixels, n, features);
    }

    /**
     * {@code scores[i * classes + c]}: image {@code i}'s score under label {@code c} by the network's own
     * classifier; highest wins.
     */
    public static void score(FFNetwork net, float[] pixels, int n, float[] scores) {
        if (net instanceof RecurrentFFNetwork recurrent) {
            RECURRENT.get().score(recurrent, pixels, n, scores);
        } else {
            SIMPLE_SCORING.get().score((SimpleFFNetwork) net, pixels, n, scores);
        }
    }
}
