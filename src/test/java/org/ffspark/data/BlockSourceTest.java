package org.ffspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A block read from the files alone is the block cut from the whole (sub)set, image for image. */
class BlockSourceTest {
    @TempDir
    Path tmp;

    private static void assertSame(DataBlock expected, DataBlock actual) {
        assertEquals(expected.firstIndex(), actual.firstIndex());
        assertEquals(expected.count(), actual.count());
        assertArrayEquals(expected.pixels(), actual.pixels());
        assertArrayEquals(expected.labels(), actual.labels());
    }

    @Test
    void everyBlockOfEverySubsetIsTheWholeSetsBlock() throws Exception {
        Configuration hadoop = new Configuration();
        Path dir = IdxFixtures.dataDirectory(tmp.resolve("d"), 500, 50, 3, 3);
        IdxFiles files = IdxFiles.inDirectory(dir.toString(), hadoop);
        LabeledImages all = LabeledImages.of(IdxFiles.readImages(files.trainImages(), hadoop),
                IdxFiles.readLabels(files.trainLabels(), hadoop));
        for (int limit : new int[] {0, 123}) {
            for (int parts : new int[] {1, 3, 7}) {
                BlockSource source = new BlockSource(files.trainImages(), files.trainLabels(), 500, limit, 42, 5, 0,
                        parts);
                List<DataBlock> expected = all.randomSubset(limit, 42, 5).blocks(parts);
                for (int p = 0; p < parts; p++) {
                    assertSame(expected.get(p), source.block(p, hadoop));
                }
            }
        }
        BlockSource head = new BlockSource(files.trainImages(), files.trainLabels(), 500, 123, 42, 5, 40, 3);
        List<DataBlock> expected = all.randomSubset(123, 42, 5).head(40).blocks(3);
        for (int p = 0; p < 3; p++) {
            assertSame(expected.get(p), head.block(p, hadoop));
        }
    }
}
