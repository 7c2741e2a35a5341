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
     * What an IDX file's header says.
     *
     * @param images whether it holds images (else labels)
     * @param rows   image rows (1 for labels)
     * @param cols   image columns (1 for labels)
     */
    public record Header(String name, boolean images, int count, int rows, int cols) implements java.io.Serializable {
        /** Bytes an item takes: an image's pixels, or one label. */
        public int itemBytes() {
            return rows * cols;
        }
    }

    /**
     * A file read through once and checked as {@link #readImages} and {@link #readLabels} check it, without
     * keeping its contents: its header, the SHA-256 of the file as stored (what {@code sha256sum} prints
     * and MNIST's {@code SHA256SUMS} lists) and of its uncompressed contents.
     */
    public record Scan(Header header, String fileSha256, String contentSha256) {
    }

    /** Reads the whole file once, checking header, size and (for labels) each label below {@code classes}. */
    public static Scan scan(InputStream raw, String name, int classes) {
        MessageDigest stored = sha256();
        try (Opened file = open(new DigestInputStream(raw, stored), name)) {
            Header header = header(file.data, name);
            long size = (long) header.count() * header.itemBytes();
            byte[] chunk = new byte[1 << 16];
            long read = 0;
            while (read < size) {
                int n = file.data.read(chunk, 0, (int) Math.min(chunk.length, size - read));
                if (n < 0) {
                    throw new IdxFormatException(name, "truncated: " + promise(header) + " but only " + read
                            + " follow");
                }
                if (!header.images()) {
                    for (int i = 0; i < n; i++) {
                        int label = chunk[i] & 0xFF;
                        if (label >= classes) {
                            throw new IdxFormatException(name, "label " + label + " at index " + (read + i)
                                    + " is outside 0-" + (classes - 1));
                        }
                    }
                }
                read += n;
            }
            long extra = 0;
            while (file.data.read(chunk) > 0) {
                extra++;
            }
            if (extra > 0) {
                throw new IdxFormatException(name, promise(header) + " but more bytes follow (wrong count in "
                        + "header?)");
            }
            String content = file.sha256();
            return new Scan(header, HexFormat.of().formatHex(stored.digest()), content);
        } catch (IOException e) {
            throw ioProblem(name, e);
        }
    }

    /**
     * The items (images' pixels, or labels) at {@code indices} (distinct), in that order, reading the file
     * once from its start and keeping only those: a block of a large file costs its own size in memory.
     */
    public static byte[] readItems(InputStream in, String name, int[] indices) {
        try (Opened file = open(in, name)) {
            Header header = header(file.data, name);
            int bytes = header.itemBytes();
            // Positions in the file's order, so the file is read forwards once.
            long[] byIndex = new long[indices.length];
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] < 0 || indices[i] >= header.count()) {
                    throw new IdxFormatException(name, "has no item " + indices[i] + " (it holds " + header.count()
                            + ")");
                }
                byIndex[i] = (long) indices[i] << 32 | i;
            }
            java.util.Arrays.sort(byIndex);
            byte[] out = new byte[indices.length * bytes];
            long at = 0;
            for (long entry : byIndex) {
                long target = (entry >>> 32) * bytes;
                int position = (int) entry;
                file.data.skipNBytes(target - at);
                file.data.readFully(out, position * bytes, bytes);
                at = target + bytes;
            }
            return out;
        } catch (IOException e) {
            throw ioProblem(name, e);
        }
    }

    private static Header header(DataInputStream data, String name) throws IOException {
        int magic = header(data, name, "magic number");
        if (magic == IMAGES_MAGIC) {
            int count = header(data, name, "image count");
            int rows = header(data, name, "row count");
            int cols = header(data, name, "column count");
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw new IdxFormatException(name, "invalid header: " + count + " images of " + rows + "x" + cols);
            }
            if ((long) rows * cols > 1 << 24) {
                throw new IdxFormatException(name, "images of " + rows + "x" + cols + " are too large");
            }
            return new Header(name, true, count, rows, cols);
        }
        if (magic == LABELS_MAGIC) {
            int count = header(data, name, "label count");
            if (count < 0) {
                throw new IdxFormatException(name, "invalid header: " + count + " labels");
            }
            return new Header(name, false, count, 1, 1);
        }
        throw new IdxFormatException(name, "not an IDX file (magic number " + magicText(magic) + ", expected "
                + magicText(IMAGES_MAGIC) + " for images or " + magicText(LABELS_MAGIC) + " for labels)");
    }

    private static String promise(Header h) {
        return h.images() ? "header promises " + h.count() + " images of " + h.rows() + "x" + h.cols() + " ("
                + (long) h.count() * h.itemBytes() + " bytes of pixels)" : "header promises " + h.count() + " labels";
    }

    /** The header alone, read from the file's first bytes (a compressed file is inflated only that far). */
    public static Header header(InputStream in, String name) {
        try (Opened file = open(in, name)) {
            return header(file.data, name);
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
        return header(in, name).count();
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
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
