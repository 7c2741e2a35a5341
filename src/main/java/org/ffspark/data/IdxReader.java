package org.ffspark.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (LeCun's MNIST format), plain or gzip-compressed, and checks everything the header
 * promises: magic number, dimensions, that exactly that many bytes follow, and the label range.
 *
 * <p>Compression is recognised by the gzip magic bytes, not the file name, so a renamed file still
 * reads. Errors are {@link IdxFormatException}s naming the file and the problem.
 */
public final class IdxReader {
    /** IDX magic for unsigned-byte data with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** IDX magic for unsigned-byte data with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    public static ImageSet readImages(InputStream in, String name) {
        try (Opened file = open(in, name)) {
            DataInputStream data = file.data;
            int magic = header(data, name, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw new IdxFormatException(name, "not an IDX image file (magic number "
                        + magicText(magic) + ", expected " + magicText(IMAGES_MAGIC) + ")");
            }
            int count = header(data, name, "image count");
            int rows = header(data, name, "row count");
            int cols = header(data, name, "column count");
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw new IdxFormatException(name, "invalid header: " + count + " images of "
                        + rows + "x" + cols);
            }
            long size = (long) count * rows * cols;
            if (size > Integer.MAX_VALUE - 16) {
                throw new IdxFormatException(name, "too large to load: " + count + " images of "
                        + rows + "x" + cols);
            }
            byte[] pixels = body(data, name, (int) size,
                    "header promises " + count + " images of " + rows + "x" + cols + " (" + size
                            + " bytes of pixels)");
            return new ImageSet(name, count, rows, cols, pixels, file.sha256());
        } catch (IOException e) {
            throw ioProblem(name, e);
        }
    }

    /**
     * The number of items an IDX image or label file's header promises, read from its first bytes alone
     * (a compressed file is inflated only that far): enough to check a subset's size before anything
     * else is read.
     */
    public static int count(InputStream in, String name) {
        try (Opened file = open(in, name)) {
            int magic = header(file.data, name, "magic number");
            if (magic != IMAGES_MAGIC && magic != LABELS_MAGIC) {
                throw new IdxFormatException(name, "not an IDX file (magic number " + magicText(magic) + ", expected "
                        + magicText(IMAGES_MAGIC) + " for images or " + magicText(LABELS_MAGIC) + " for labels)");
            }
            int count = header(file.data, name, magic == IMAGES_MAGIC ? "image count" : "label count");
            if (count < 0) {
                throw new IdxFormatException(name, "invalid header: a count of " + count);
            }
            return count;
        } catch (IOException e) {
            throw ioProblem(name, e);
        }
    }

    /** Reads labels and checks each is below {@code classes}. */
    public static LabelSet readLabels(InputStream in, String name, int classes) {
        try (Opened file = open(in, name)) {
            DataInputStream data = file.data;
            int magic = header(data, name, "magic number");
            if (magic != LABELS_MAGIC) {
                throw new IdxFormatException(name, "not an IDX label file (magic number "
                        + magicText(magic) + ", expected " + magicText(LABELS_MAGIC) + ")");
            }
            int count = header(data, name, "label count");
            if (count < 0) {
                throw new IdxFormatException(name, "invalid header: " + count + " labels");
            }
            byte[] labels = body(data, name, count, "header promises " + count + " labels");
            for (int i = 0; i < count; i++) {
                int label = labels[i] & 0xFF;
                if (label >= classes) {
                    throw new IdxFormatException(name, "label " + label + " at index " + i
                            + " is outside 0-" + (classes - 1));
                }
            }
            return new LabelSet(name, labels, file.sha256());
        } catch (IOException e) {
            throw ioProblem(name, e);
        }
    }

    private static int header(DataInputStream data, String name, String field) throws IOException {
        try {
            return data.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(name, "truncated header: the file ends before its " + field);
        }
    }

    private static byte[] body(DataInputStream data, String name, int size, String promise)
            throws IOException {
        byte[] bytes = data.readNBytes(size);
        if (bytes.length < size) {
            throw new IdxFormatException(name, "truncated: " + promise + " but only "
                    + bytes.length + " follow");
        }
        long extra = 0;
        while (data.read() >= 0) {
            extra++;
        }
        if (extra > 0) {
            throw new IdxFormatException(name, promise + " but " + extra
                    + " more bytes follow (wrong count in header?)");
        }
        return bytes;
    }

    private static RuntimeException ioProblem(String name, IOException e) {
        if (e instanceof EOFException) {
            return new IdxFormatException(name, "truncated gzip stream (" + e.getMessage() + ")");
        }
        if (e instanceof ZipException) {
            return new IdxFormatException(name, "corrupt gzip stream (" + e.getMessage() + ")");
        }
        return new IdxFormatException(name, "cannot be read: " + e);
    }

    private static String magicText(int magic) {
        return String.format("0x%08X", magic);
    }

    private static Opened open(InputStream raw, String name) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        if (first < 0) {
            buffered.close();
            throw new IdxFormatException(name, "is empty");
        }
        buffered.reset();
        InputStream content = (first == 0x1F && second == 0x8B)
                ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16)
                : buffered;
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        return new Opened(new DataInputStream(new DigestInputStream(content, digest)), digest);
    }

    private record Opened(DataInputStream data, MessageDigest digest) implements AutoCloseable {
        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }
}
