package org.ffspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.ffspark.FfsparkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path tmp;

    private static ImageSet images(byte[] content) {
        return IdxReader.readImages(new ByteArrayInputStream(content), "f.idx");
    }

    private static LabelSet labels(byte[] content) {
        return IdxReader.readLabels(new ByteArrayInputStream(content), "l.idx", 10);
    }

    private static String imageError(byte[] content) {
        return assertThrows(IdxFormatException.class, () -> images(content)).getMessage();
    }

    @Test
    void plainAndGzipFilesReadTheSame() {
        byte[] plain = IdxFixtures.images(5, 4, 3);
        ImageSet a = images(plain);
        ImageSet b = images(IdxFixtures.gzip(plain));
        assertEquals(5, a.count());
        assertEquals(4, a.rows());
        assertEquals(3, a.cols());
        assertArrayEquals(a.pixels(), b.pixels());
        assertEquals(a.sha256(), b.sha256());
        assertArrayEquals(Arrays.copyOfRange(plain, 16, plain.length), a.pixels());
    }

    @Test
    void wrongMagicNumberIsRejectedWithTheFileName() {
        assertEquals("f.idx: not an IDX image file (magic number 0x00000801, expected 0x00000803)",
                imageError(IdxFixtures.labels(3)));
        assertTrue(assertThrows(IdxFormatException.class, () -> labels(IdxFixtures.images(2, 2, 2)))
                .getMessage().startsWith("l.idx: not an IDX label file"));
    }

    @Test
    void truncatedImageFileIsRejectedWithItsPath() {
        byte[] full = IdxFixtures.images(4, 5, 5);
        assertEquals("f.idx: truncated: header promises 4 images of 5x5 (100 bytes of pixels) but only 90 follow",
                imageError(Arrays.copyOf(full, full.length - 10)));
        assertEquals("f.idx: truncated header: the file ends before its row count",
                imageError(Arrays.copyOf(full, 9)));
    }

    @Test
    void headerCountDisagreeingWithTheSizeIsRejected() {
        byte[] content = IdxFixtures.images(4, 5, 5);
        ByteBuffer.wrap(content).putInt(4, 3);
        assertTrue(imageError(content).contains("header promises 3 images of 5x5 (75 bytes of pixels) but 25 more bytes follow"));
    }

    @Test
    void truncatedAndCorruptGzipAreRejected() {
        byte[] gz = IdxFixtures.gzip(IdxFixtures.images(50, 10, 10));
        assertTrue(imageError(Arrays.copyOf(gz, gz.length / 2)).startsWith("f.idx: truncated gzip stream"));
        byte[] corrupt = gz.clone();
        for (int i = 20; i < 60; i++) {
            corrupt[i] = (byte) 0xFF;
        }
        String message = imageError(corrupt);
        assertTrue(message.startsWith("f.idx: corrupt gzip stream") || message.startsWith("f.idx: truncated"), message);
    }

    @Test
    void emptyFileIsRejected() {
        assertEquals("f.idx: is empty", imageError(new byte[0]));
    }

    @Test
    void labelOutsideTheClassesIsRejectedWithItsIndex() {
        byte[] content = IdxFixtures.labels(6);
        content[8 + 4] = 12;
        assertEquals("l.idx: label 12 at index 4 is outside 0-9",
                assertThrows(IdxFormatException.class, () -> labels(content)).getMessage());
    }

    @Test
    void imagesAndLabelsOfDifferentCountsAreRejected() {
        ImageSet img = images(IdxFixtures.images(5, 2, 2));
        LabelSet lab = labels(IdxFixtures.labels(4));
        assertEquals("f.idx: 5 images but l.idx holds 4 labels",
                assertThrows(IdxFormatException.class, () -> LabeledImages.of(img, lab)).getMessage());
    }

    @Test
    void directoryWithTheFourFilesReadsOnTheLocalFileSystem() throws Exception {
        Path dir = IdxFixtures.dataDirectory(tmp.resolve("d"), 30, 12, 4, 4);
        IdxDataset data = IdxDataset.check(IdxFiles.inDirectory(dir.toString(), new Configuration()),
                new Configuration());
        assertEquals(30, data.trainCount());
        assertEquals(12, data.testCount());
        assertEquals(16, data.features());
        assertEquals(4, data.fileSha256().size());
        List<String> files = data.fileSha256().values().stream().toList();
        List<String> contents = data.contentSha256().values().stream().toList();
        assertEquals(files.subList(2, 4), contents.subList(2, 4), "uncompressed test files: the two sums agree");
        assertTrue(!files.get(0).equals(contents.get(0)), "a compressed file's sum is not its contents'");
    }

    @Test
    void directoryMissingAFileOrMissingAltogetherIsNamed() throws Exception {
        Path dir = IdxFixtures.dataDirectory(tmp.resolve("d"), 3, 3, 2, 2);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        assertTrue(assertThrows(FfsparkException.class,
                () -> IdxFiles.inDirectory(dir.toString(), new Configuration())).getMessage()
                .endsWith("has no t10k-labels-idx1-ubyte (nor t10k-labels-idx1-ubyte.gz)"));
        assertTrue(assertThrows(FfsparkException.class, () -> IdxFiles.inDirectory(tmp.resolve("nowhere").toString(),
                new Configuration())).getMessage().startsWith("data directory not found: " + tmp.resolve("nowhere") + " "));
    }

    @Test
    void testImagesOfAnotherSizeThanTrainingImagesAreRejected() throws Exception {
        Path dir = IdxFixtures.dataDirectory(tmp.resolve("d"), 3, 3, 2, 2);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFixtures.images(3, 3, 3));
        String message = assertThrows(IdxFormatException.class, () -> IdxDataset.check(
                IdxFiles.inDirectory(dir.toString(), new Configuration()), new Configuration())).getMessage();
        assertTrue(message.contains("images are 3x3 but the training images"), message);
    }

    @Test
    void committedMnistMatchesItsPublishedChecksums() throws Exception {
        Path dir = Path.of(System.getProperty("ffspark.projectDir", "."), "data", "mnist");
        IdxDataset data = IdxDataset.check(IdxFiles.inDirectory(dir.toString(), new Configuration()),
                new Configuration());
        assertEquals(60000, data.trainCount());
        assertEquals(10000, data.testCount());
        assertEquals(784, data.features());
        String files = Files.readString(dir.resolve("SHA256SUMS"));
        for (String sha : data.fileSha256().values()) {
            assertTrue(files.contains(sha), "the files as shipped: unexpected checksum " + sha);
        }
        String contents = Files.readString(dir.resolve("SHA256SUMS.uncompressed"));
        for (String sha : data.contentSha256().values()) {
            assertTrue(contents.contains(sha), "their contents: unexpected checksum " + sha);
        }
    }

    @Test
    void seededSubsetIsReproducibleAndBlocksCoverItInOrder() {
        LabeledImages all = LabeledImages.of(images(IdxFixtures.images(100, 2, 2)), labels(IdxFixtures.labels(100)));
        LabeledImages a = all.randomSubset(30, 42, 1);
        assertArrayEquals(a.labels(), all.randomSubset(30, 42, 1).labels());
        assertEquals(30, a.count());
        var blocks = a.blocks(4);
        int next = 0;
        for (DataBlock b : blocks) {
            assertEquals(next, b.firstIndex());
            next += b.count();
        }
        assertEquals(30, next);
        assertEquals(a.label(29), blocks.get(3).label(blocks.get(3).count() - 1));
    }
}
