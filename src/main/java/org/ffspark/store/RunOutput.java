package org.ffspark.store;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.ffspark.FfsparkException;
import org.ffspark.data.StorageProblem;

/**
 * A run's output directory on any Hadoop file system. Every file is written whole under a temporary
 * name in the same directory and then renamed into place, so a reader (or a crash) never sees a
 * half-written file; results of an earlier run are kept unless the user allows replacing them.
 */
public final class RunOutput {
    public static final String METRICS = "metrics.jsonl";
    public static final String SUMMARY = "summary.json";
    public static final String MODEL = "model.ffm";
    /** The commit marker, written after every other file of a run. */
    public static final String SUCCESS = "_SUCCESS";
    private static final List<String> RESULTS = List.of(SUCCESS, METRICS, SUMMARY, MODEL);
    /** Stores whose rename copies: a file is written in place there, whole when its upload completes. */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "gs", "abfs", "abfss", "wasb", "wasbs",
            "oss", "cosn", "obs");

    private final Path directory;
    private final FileSystem fs;

    public RunOutput(String directory, Configuration hadoop) {
        this.directory = new Path(directory);
        try {
            this.fs = this.directory.getFileSystem(hadoop);
        } catch (IOException e) {
            throw new FfsparkException("out " + directory + ": " + StorageProblem.describe(e), e);
        }
        // Local file systems would otherwise leave a .crc file beside every output.
        fs.setWriteChecksum(false);
    }

    /** Refuses an {@code out} that holds an earlier run's results (a check that changes nothing). */
    public static void refuseEarlierResults(String out, Configuration hadoop) {
        RunOutput output = new RunOutput(out, hadoop);
        try {
            for (String name : RESULTS) {
                if (output.fs.exists(new Path(output.directory, name))) {
                    throw earlierRun(output.directory, name);
                }
            }
        } catch (IOException e) {
            throw new FfsparkException("out " + out + ": " + StorageProblem.describe(e), e);
        }
    }

    /** Refuses an {@code out} that stands as a file (a check that changes nothing). */
    public static void refuseFile(String out, Configuration hadoop) {
        RunOutput output = new RunOutput(out, hadoop);
        try {
            if (output.fs.exists(output.directory) && !output.fs.getFileStatus(output.directory).isDirectory()) {
                throw new FfsparkException("out " + output.directory + " is a file, not a directory");
            }
        } catch (IOException e) {
            throw new FfsparkException("out " + out + ": " + StorageProblem.describe(e), e);
        }
    }

    /** Whether the directory holds {@code name}. */
    public boolean exists(String name) {
        try {
            return fs.exists(new Path(directory, name));
        } catch (IOException e) {
            throw new FfsparkException("out " + directory + ": " + StorageProblem.describe(e), e);
        }
    }

    private static FfsparkException earlierRun(Path directory, String name) {
        return new FfsparkException("out " + directory + " already holds an earlier run's " + name
                + "; choose another out, set resume=true to continue it, or set overwrite=true to replace it");
    }

    /**
     * Refuses to go on if the directory holds an earlier run's results, unless {@code overwrite}; with
     * it, removes them, its checkpoints and the {@code derivedFolders} an earlier run wrote (a report), so
     * that the directory never mixes two runs' files.
     */
    public void prepare(boolean overwrite, String... derivedFolders) {
        try {
            if (fs.exists(directory) && !fs.getFileStatus(directory).isDirectory()) {
                throw new FfsparkException("out " + directory + " is a file, not a directory");
            }
            for (String name : RESULTS) {
                Path existing = new Path(directory, name);
                if (fs.exists(existing)) {
                    if (!overwrite) {
                        throw earlierRun(directory, name);
                    }
                    fs.delete(existing, false);
                }
            }
            for (String name : derivedFolders) {
                Path folder = new Path(directory, name);
                if (overwrite && fs.exists(folder)) {
                    fs.delete(folder, true);
                }
            }
            Path checkpoints = new Path(directory, CheckpointStore.FOLDER);
            if (fs.exists(checkpoints)) {
                if (!overwrite) {
                    throw new FfsparkException("out " + directory + " already holds an earlier run's "
                            + "checkpoints; choose another out, set resume=true to continue it, or set "
                            + "overwrite=true to replace it");
                }
                fs.delete(checkpoints, true);
            }
            fs.mkdirs(directory);
        } catch (IOException e) {
            throw new FfsparkException("out " + directory + " cannot be prepared: " + StorageProblem.describe(e), e);
        }
    }

    /** Creates the directory if needed, leaving whatever it holds. */
    public void prepareDirectory() {
        try {
            fs.mkdirs(directory);
        } catch (IOException e) {
            throw new FfsparkException("out " + directory + " cannot be created: " + StorageProblem.describe(e), e);
        }
    }

    public String path(String name) {
        Path file = new Path(directory, name);
        // hdfs:///runs/x prints as hdfs:/runs/x; with its namenode it is an address one can paste.
        boolean schemeWithoutAuthority = file.toUri().getScheme() != null && file.toUri().getAuthority() == null
                && !"file".equals(file.toUri().getScheme());
        return schemeWithoutAuthority ? fs.makeQualified(file).toString() : file.toString();
    }

    /** Names of the files in the directory that match {@code pattern}, sorted; none if it does not exist. */
    public List<String> list(String pattern) {
        try {
            if (!fs.exists(directory)) {
                return List.of();
            }
            List<String> names = new java.util.ArrayList<>();
            for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(directory)) {
                String name = status.getPath().getName();
                if (status.isFile() && name.matches(pattern)) {
                    names.add(name);
                }
            }
            java.util.Collections.sort(names);
            return names;
        } catch (IOException e) {
            throw new FfsparkException("cannot list " + directory + ": " + StorageProblem.describe(e), e);
        }
    }

    public byte[] read(String name) {
        Path path = new Path(directory, name);
        try (java.io.InputStream in = fs.open(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new FfsparkException("cannot read " + path + ": " + StorageProblem.describe(e), e);
        }
    }

    public void delete(String name) {
        try {
            fs.delete(new Path(directory, name), false);
        } catch (IOException e) {
            throw new FfsparkException("cannot delete " + new Path(directory, name) + ": " + StorageProblem.describe(e), e);
        }
    }

    /**
     * Writes {@code name} so that it appears complete or not at all, and an earlier file of that name stays
     * until the new one replaces it: a crash at any moment leaves one or the other. On a file system
     * whose rename is atomic (local, HDFS) the file is written under a temporary name and renamed over
     * the old one in one step, never deleting it first; on an object store (S3), whose rename is a copy, it is written in place,
     * since an upload becomes visible whole when it completes.
     */
    public void write(String name, byte[] content) {
        Path target = new Path(directory, name);
        Path temporary = new Path(directory, "." + name + ".tmp-" + UUID.randomUUID());
        try {
            if (OBJECT_STORES.contains(fs.getScheme())) {
                try (OutputStream out = fs.create(target, true)) {
                    out.write(content);
                }
                return;
            }
            try (OutputStream out = fs.create(temporary, true)) {
                out.write(content);
            }
            if ("file".equals(fs.getScheme())) {
                // rename(2): replaces the old file in one step (FileContext's OVERWRITE deletes it first here).
                if (!fs.rename(temporary, target)) {
                    throw new IOException("rename of " + temporary + " failed");
                }
            } else {
                // HDFS replaces in one step on the NameNode. FileContext needs the authority that a path
                // such as hdfs:///runs leaves to the default file system.
                FileContext.getFileContext(fs.makeQualified(directory).toUri(), fs.getConf())
                        .rename(fs.makeQualified(temporary), fs.makeQualified(target), Options.Rename.OVERWRITE);
            }
        } catch (IOException e) {
            try {
                fs.delete(temporary, false);
            } catch (IOException ignored) {
                // the write error below is what matters
            }
            throw new FfsparkException("cannot write " + target + ": " + StorageProblem.describe(e), e);
        }
    }
}
