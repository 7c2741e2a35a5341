package org.ffspark.eval;

import org.ffspark.data.DataBlock;
import org.ffspark.model.FFKernels;
import org.ffspark.model.LabelScorer;
import org.ffspark.model.FFNetwork;

/** Scores every image of a block under all label hypotheses and counts predictions, free of Spark. */
public final class BlockEvaluation {
    /** Images converted to floats at a time, to bound memory on large blocks. */
    private static final int SLICE = 1024;

    private BlockEvaluation() {
    }

    public static ConfusionMatrix evaluate(FFNetwork net, DataBlock block) {
        int classes = net.classes();
        ConfusionMatrix matrix = new ConfusionMatrix(classes);
        float[] goodness = scores(net, block);
        int[] predicted = LabelScorer.predictions(goodness, block.count(), classes);
        for (int i = 0; i < block.count(); i++) {
            matrix.record(block.label(i), predicted[i]);
        }
        return matrix;
    }

    /** Every image's score for every label, image by image: the scores evaluation and the report use. */
    public static float[] scores(FFNetwork net, DataBlock block) {
        int classes = net.classes();
        int features = block.features();
        float[] scores = new float[block.count() * classes];
        float[] pixels = new float[Math.min(SLICE, block.count()) * features];
        float[] goodness = new float[Math.min(SLICE, block.count()) * classes];
        for (int start = 0; start < block.count(); start += SLICE) {
            int n = Math.min(SLICE, block.count() - start);
            for (int i = 0; i < n; i++) {
                block.copyScaled(start + i, pixels, i * features);
            }
            FFKernels.score(net, pixels, n, goodness);
            System.arraycopy(goodness, 0, scores, start * classes, n * classes);
        }
        return scores;
    }
}
