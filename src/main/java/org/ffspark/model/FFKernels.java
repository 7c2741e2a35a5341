package org.ffspark.model;

/**
 * The computing kernels of either model, one set per thread (they keep work buffers between calls):
 * a training share's local gradients and the goodness of every label for a block of images.
 */
public final class FFKernels {
    private static final ThreadLocal<LocalLearning> SIMPLE_LEARNING = ThreadLocal.withInitial(LocalLearning::new);
    private static final ThreadLocal<LabelScorer> SIMPLE_SCORING = ThreadLocal.withInitial(LabelScorer::new);
    private static final ThreadLocal<RecurrentLearning> RECURRENT = ThreadLocal.withInitial(RecurrentLearning::new);

    private FFKernels() {
    }

    /**
     * Adds to {@code out} the share of a step's loss and gradient of {@code n} samples (see
     * {@link LocalLearning#accumulate} and {@link RecurrentLearning#accumulate}).
     */
    public static void accumulate(FFNetwork net, float[] pixels, int[] positive, int[] negative, int n,
                                  int batchSize, LayerGradients out) {
        if (net instanceof RecurrentFFNetwork recurrent) {
            RECURRENT.get().accumulate(recurrent, pixels, positive, negative, n, batchSize, out);
        } else {
            SIMPLE_LEARNING.get().accumulate((SimpleFFNetwork) net, pixels, positive, negative, n, batchSize, out);
        }
    }

    /**
     * The scores hard negatives are drawn from: the goodness summed over the first {@code layers}
     * layers (all of them for the recurrent model, which scores over its iterations). Scored on the
     * first layer alone, the simple model's scores come from the pixel product {@code W_x x} that
     * the step's {@link #accumulate} on the same pixels then reuses: no product of its own.
     */
    public static void scoreForNegatives(FFNetwork net, float[] pixels, int n, int layers, float[] goodness) {
        if (net instanceof RecurrentFFNetwork recurrent) {
            RECURRENT.get().score(recurrent, pixels, n, goodness);
        } else if (layers == 1) {
            SIMPLE_LEARNING.get().scoreFirstLayer((SimpleFFNetwork) net, pixels, n, goodness);
        } else {
            SIMPLE_SCORING.get().score((SimpleFFNetwork) net, pixels, n, layers, goodness);
        }
    }

    /** {@code goodness[i * classes + c]}: image {@code i}'s score under label {@code c}; highest wins. */
    public static void score(FFNetwork net, float[] pixels, int n, float[] goodness) {
        if (net instanceof RecurrentFFNetwork recurrent) {
            RECURRENT.get().score(recurrent, pixels, n, goodness);
        } else {
            SIMPLE_SCORING.get().score((SimpleFFNetwork) net, pixels, n, goodness);
        }
    }
}
