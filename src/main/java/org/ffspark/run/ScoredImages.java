package org.ffspark.run;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.ffspark.data.DataBlock;
import org.ffspark.data.IdxFiles;
import org.ffspark.data.PngFolder;
import org.ffspark.model.FFKernels;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.LabelScorer;

/**
 * A prediction task's rows: its slice of the input read and scored {@link #BLOCK} images at a time as
 * the writer asks for them, so a task holds one block of images and scores at once. Each row is the
 * image's name, its predicted label, its label when given, and every label's score.
 */
final class ScoredImages implements Iterator<Row> {
    /** Images scored at a time: products of this many rows run near the BLAS's speed. */
    static final int BLOCK = 256;

    /** Where a task's images come from: a range of an IDX file, or some PNG files. */
    record Slice(int first, int count, List<String> pngs) implements java.io.Serializable {
    }


    private final FFNetwork network;
    private final Slice slice;
    private final String imageFile;
    private final String labelFile;
    private final boolean invert;
    private final int side;
    private final Configuration hadoop;
    private final LongAccumulator correct;
    private final LongAccumulator light;
    private final List<Row> ready = new ArrayList<>();
    private int done;
    private int next;

ScoredImages(FFNetwork network, Slice slice, String imageFile, String labelFile, boolean invert, int side,
           Configuration hadoop, LongAccumulator correct, LongAccumulator light) {
        this.network = network;
        this.slice = slice;
        this.imageFile = imageFile;
        this.labelFile = labelFile;
        this.invert = invert;
        this.side = side;
        this.hadoop = hadoop;
        this.correct = correct;
        this.light = light;
    }

    @Override
    public boolean hasNext() {
        if (next == ready.size() && done < slice.count()) {
            scoreNext();
        }
        return next < ready.size();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException();
        }
        return ready.get(next++);
    }

    private void scoreNext() {
        int n = Math.min(BLOCK, slice.count() - done);
        int features = network.inputSize();
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = slice.first() + done + i;
        }
        byte[] pixels;
        String[] names = new String[n];
        if (slice.pngs() != null) {
            pixels = new byte[n * features];
            for (int i = 0; i < n; i++) {
                String file = slice.pngs().get(done + i);
                System.arraycopy(PngFolder.readImage(file, side, side, invert, hadoop), 0, pixels, i * features,
                        features);
                names[i] = new Path(file).getName();
            }
        } else {
            pixels = IdxFiles.readItems(imageFile, positions, hadoop);
            for (int i = 0; i < n; i++) {
                names[i] = Integer.toString(positions[i]);
            }
        }
        byte[] labels = labelFile == null ? null : IdxFiles.readItems(labelFile, positions, hadoop);
        float[] scaled = new float[n * features];
        long lightPixels = 0;
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = DataBlock.pixel(pixels[i]);
            lightPixels += (pixels[i] & 0xFF) > 127 ? 1 : 0;
        }
        light.add(lightPixels);
        int classes = network.classes();
        float[] goodness = new float[n * classes];
        FFKernels.score(network, scaled, n, goodness);
        int[] predicted = LabelScorer.predictions(goodness, n, classes);
        ready.clear();
        next = 0;
        long right = 0;
        for (int i = 0; i < n; i++) {
            Float[] g = new Float[classes];
            for (int c = 0; c < classes; c++) {
                g[c] = goodness[i * classes + c];
            }
            if (labels != null) {
                int label = labels[i] & 0xFF;
                right += label == predicted[i] ? 1 : 0;
                ready.add(RowFactory.create(names[i], predicted[i], label, g));
            } else {
                ready.add(RowFactory.create(names[i], predicted[i], g));
            }
        }
        correct.add(right);
        done += n;
    }
}
