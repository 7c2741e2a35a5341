package org.ffspark.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.ffspark.FfsparkException;

/**
 * What identifies a dataset Spark reads (a LIBSVM file, a Parquet folder) without reading it all: the
 * SHA-256 of its files' relative paths, sizes and modification times. Resuming from a checkpoint of
 * other data is refused by it, as the SHA-256 of the IDX files does for MNIST.
 */
public final class DatasetFingerprint {
    private DatasetFingerprint() {
    }

    public static String of(String path, Configuration hadoop) {
        Path root = new Path(path);
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            FileStatus top = fs.getFileStatus(root);
            List<String> entries = new ArrayList<>();
            if (top.isFile()) {
                entries.add(root.getName() + " " + top.getLen() + " " + top.getModificationTime());
            } else {
                RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
                String prefix = fs.makeQualified(root).toString();
                while (files.hasNext()) {
                    LocatedFileStatus f = files.next();
                    entries.add(f.getPath().toString().substring(prefix.length()) + " " + f.getLen() + " "
                            + f.getModificationTime());
                }
            }
            entries.sort(null);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String e : entries) {
                sha.update(e.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.io.FileNotFoundException e) {
            throw new FfsparkException("data not found: " + path);
        } catch (IOException e) {
            throw new FfsparkException(path + ": " + StorageProblem.describe(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
