package org.ffspark.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Small IDX files made by tests: images whose pixels encode their index, labels i % 10. */
public final class IdxFixtures {
    private IdxFixtures() {
    }

    public static byte[] images(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < rows * cols; p++) {
                b.put((byte) ((i * 7 + p * 13) % 256));
            }
        }
        return b.array();
    }

    public static byte[] labels(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    public static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Writes a complete data directory: train and test sets of the given sizes, gzip-compressed. */
    public static Path dataDirectory(Path dir, int train, int test, int rows, int cols) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(train, rows, cols)));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(train)));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images(test, rows, cols));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels(test));
        return dir;
    }
}
