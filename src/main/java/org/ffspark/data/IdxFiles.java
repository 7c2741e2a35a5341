package org.ffspark.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ffspark.FfsparkException;

/**
 * Where the four MNIST-style IDX files are, on any Hadoop file system ({@code file:}, {@code hdfs:},
 * {@code s3a:}...): either named one by one or found in one directory under their standard names.
 */
public record IdxFiles(String trainImages, String trainLabels, String testImages, String testLabels) {
    private static final String[] STANDARD_NAMES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte"};

    /**
     * The same files with fully qualified paths ({@code file:/abs/...}), so that executors, whose
     * working directory is not the driver's, find the same files.
     */
    public IdxFiles qualified(Configuration hadoop) {
        return new IdxFiles(qualify(trainImages, hadoop), qualify(trainLabels, hadoop), qualify(testImages, hadoop),
                qualify(testLabels, hadoop));
    }

    private static String qualify(String file, Configuration hadoop) {
        Path path = new Path(file);
        try {
            return path.getFileSystem(hadoop).makeQualified(path).toString();
        } catch (IOException | IllegalArgumentException e) {
            throw new FfsparkException(file + ": not a usable path: " + e.getMessage());
        }
    }

    /** A path as a person finds it: absolute, without the scheme on the local file system. */
    public static String absolute(FileSystem fs, Path path) {
        Path qualified = fs.makeQualified(path);
        return "file".equals(qualified.toUri().getScheme()) ? qualified.toUri().getPath() : qualified.toString();
    }

    /** Finds the four files in {@code directory}, each as {@code NAME.gz} or plain {@code NAME}. */
    public static IdxFiles inDirectory(String directory, Configuration hadoop) {
        Path dir = new Path(directory);
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            FileStatus status;
            try {
                status = fs.getFileStatus(dir);
            } catch (FileNotFoundException e) {
                throw new FfsparkException("data directory not found: " + absolute(fs, dir) + " (a relative path "
                        + "is taken from the working folder, or in a config file from the file's folder)");
            }
            if (!status.isDirectory()) {
                throw new FfsparkException("data is not a directory: " + directory
                        + " (give a directory holding the four IDX files, or set data.trainImages, "
                        + "data.trainLabels, data.testImages and data.testLabels)");
            }
            String[] found = new String[STANDARD_NAMES.length];
            for (int i = 0; i < STANDARD_NAMES.length; i++) {
                found[i] = find(fs, dir, STANDARD_NAMES[i]);
                if (found[i] == null) {
                    throw new FfsparkException("data directory " + directory + " has no "
                            + STANDARD_NAMES[i] + " (nor " + STANDARD_NAMES[i] + ".gz)");
                }
            }
            return new IdxFiles(found[0], found[1], found[2], found[3]);
        } catch (IOException e) {
            throw new FfsparkException("cannot list data directory " + directory + ": " + StorageProblem.describe(e), e);
        }
    }

    private static String find(FileSystem fs, Path dir, String name) throws IOException {
        for (String candidate : List.of(name + ".gz", name)) {
            Path path = new Path(dir, candidate);
            if (fs.exists(path)) {
                return path.toString();
            }
        }
        return null;
    }

    public static ImageSet readImages(String file, Configuration hadoop) {
        try (InputStream in = open(file, hadoop)) {
            return IdxReader.readImages(in, file);
        } catch (IOException e) {
            throw new FfsparkException(file + ": cannot be read: " + StorageProblem.describe(e), e);
        }
    }

    public static LabelSet readLabels(String file, Configuration hadoop) {
        try (InputStream in = open(file, hadoop)) {
            return IdxReader.readLabels(in, file, LabeledImages.CLASSES);
        } catch (IOException e) {
            throw new FfsparkException(file + ": cannot be read: " + StorageProblem.describe(e), e);
        }
    }

    /** The whole file read once and checked, keeping nothing but its header and SHA-256 sums. */
    public static IdxReader.Scan scan(String file, Configuration hadoop) {
        try (InputStream in = open(file, hadoop)) {
            return IdxReader.scan(in, file, LabeledImages.CLASSES);
        } catch (IOException e) {
            throw new FfsparkException(file + ": cannot be read: " + StorageProblem.describe(e), e);
        }
    }

    /** The file's header (see {@link IdxReader#header}). */
    public static IdxReader.Header header(String file, Configuration hadoop) {
        try (InputStream in = open(file, hadoop)) {
            return IdxReader.header(in, file);
        } catch (IOException e) {
            throw new FfsparkException(file + ": cannot be read: " + StorageProblem.describe(e), e);
        }
    }

    /** The items at {@code positions}, in that order (see {@link IdxReader#readItems}). */
    public static byte[] readItems(String file, int[] positions, Configuration hadoop) {
        try (InputStream in = open(file, hadoop)) {
            return IdxReader.readItems(in, file, positions);
        } catch (IOException e) {
            throw new FfsparkException(file + ": cannot be read: " + StorageProblem.describe(e), e);
        }
    }

    /** The number of images or labels the file's header promises (see {@link IdxReader#count}). */
    public static int count(String file, Configuration hadoop) {
        try (InputStream in = open(file, hadoop)) {
            return IdxReader.count(in, file);
        } catch (IOException e) {
            throw new FfsparkException(file + ": cannot be read: " + StorageProblem.describe(e), e);
        }
    }

    /** Size and modification time of a file, to tell whether it changed; "missing" if absent. */
    static String version(String file, Configuration hadoop) {
        Path path = new Path(file);
        try {
            FileStatus status = path.getFileSystem(hadoop).getFileStatus(path);
            return status.getLen() + "@" + status.getModificationTime();
        } catch (IOException e) {
            return "missing";
        }
    }

    private static InputStream open(String file, Configuration hadoop) throws IOException {
        Path path = new Path(file);
        try {
            return path.getFileSystem(hadoop).open(path);
        } catch (FileNotFoundException e) {
            throw new FfsparkException("file not found: " + absolute(path.getFileSystem(hadoop), path));
        }
    }
}
