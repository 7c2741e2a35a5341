package org.ffspark.data;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A training and a test set in four IDX files, each read through once on the driver and checked (header,
 * size, labels) without keeping its contents, the two sets checked to agree: what the executors then
 * read, each its own blocks, is known to be whole.
 */
public record IdxDataset(IdxReader.Scan trainImages, IdxReader.Scan trainLabels, IdxReader.Scan testImages,
                         IdxReader.Scan testLabels) {

    public static IdxDataset check(IdxFiles files, Configuration hadoop) {
        IdxDataset d = new IdxDataset(IdxFiles.scan(files.trainImages(), hadoop),
                IdxFiles.scan(files.trainLabels(), hadoop), IdxFiles.scan(files.testImages(), hadoop),
                IdxFiles.scan(files.testLabels(), hadoop));
        pair(d.trainImages, d.trainLabels);
        pair(d.testImages, d.testLabels);
        IdxReader.Header train = d.trainImages.header();
        IdxReader.Header test = d.testImages.header();
        if (test.rows() != train.rows() || test.cols() != train.cols()) {
            throw new IdxFormatException(test.name(), "images are " + test.rows() + "x" + test.cols()
                    + " but the training images (" + train.name() + ") are " + train.rows() + "x" + train.cols());
        }
        return d;
    }

    /** An image file and its label file: images, then labels, of the same count. */
    private static void pair(IdxReader.Scan images, IdxReader.Scan labels) {
        if (!images.header().images()) {
            throw new IdxFormatException(images.header().name(), "is a label file where images were expected");
        }
        if (labels.header().images()) {
            throw new IdxFormatException(labels.header().name(), "is an image file where labels were expected");
        }
        if (images.header().count() != labels.header().count()) {
            throw new IdxFormatException(images.header().name(), images.header().count() + " images but "
                    + labels.header().name() + " holds " + labels.header().count() + " labels");
        }
    }

    public int trainCount() {
        return trainImages.header().count();
    }

    public int testCount() {
        return testImages.header().count();
    }

    public int features() {
        return trainImages.header().itemBytes();
    }

    /** The SHA-256 of each file as stored, by path: what {@code sha256sum} prints (MNIST's SHA256SUMS). */
    public Map<String, String> fileSha256() {
        Map<String, String> sums = new LinkedHashMap<>();
        for (IdxReader.Scan s : new IdxReader.Scan[] {trainImages, trainLabels, testImages, testLabels}) {
            sums.put(s.header().name(), s.fileSha256());
        }
        return sums;
    }

    /** The SHA-256 of each file's uncompressed contents, by path: the same data however it is compressed. */
    public Map<String, String> contentSha256() {
        Map<String, String> sums = new LinkedHashMap<>();
        for (IdxReader.Scan s : new IdxReader.Scan[] {trainImages, trainLabels, testImages, testLabels}) {
            sums.put(s.header().name(), s.contentSha256());
        }
        return sums;
    }
}
