package org.ffspark.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files of a run replace their earlier versions whole: a reader sees the old file or the new, never none. */
class RunOutputTest {
    @TempDir
    Path tmp;

    @Test
    void aFileBeingReplacedIsNeverMissingNorHalfWritten() throws Exception {
        RunOutput output = new RunOutput(tmp.toString(), new Configuration());
        byte[] first = new byte[64 * 1024];
        byte[] second = new byte[64 * 1024];
        Arrays.fill(first, (byte) 1);
        Arrays.fill(second, (byte) 2);
        output.write(RunOutput.SUMMARY, first);
        Path file = tmp.resolve(RunOutput.SUMMARY);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger missing = new AtomicInteger();
        AtomicInteger torn = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (writing.get()) {
                try {
                    byte[] seen = Files.readAllBytes(file);
                    if (!Arrays.equals(seen, first) && !Arrays.equals(seen, second)) {
                        torn.incrementAndGet();
                    }
                } catch (NoSuchFileException e) {
                    missing.incrementAndGet();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        reader.start();
        for (int i = 0; i < 600; i++) {
            output.write(RunOutput.SUMMARY, i % 2 == 0 ? second : first);
        }
        writing.set(false);
        reader.join();
        assertEquals(0, missing.get(), "times the file was gone while being replaced");
        assertEquals(0, torn.get(), "times a reader saw part of a file");
        assertArrayEquals(first, Files.readAllBytes(file));
        try (var left = Files.list(tmp)) {
            assertEquals(1, left.count(), "no temporary file is left beside it");
        }
    }

    @Test
    void anOutThatIsAFileIsRefusedWithoutTouchingIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "keep");
        String message = org.junit.jupiter.api.Assertions.assertThrows(org.ffspark.FfsparkException.class,
                () -> RunOutput.refuseFile(file.toString(), new Configuration())).getMessage();
        assertEquals("out " + file + " is a file, not a directory", message);
        assertTrue(Files.readString(file).equals("keep"));
    }
}
