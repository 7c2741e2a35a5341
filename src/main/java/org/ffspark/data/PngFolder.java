package org.ffspark.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ffspark.FfsparkException;

/**
 * A folder of PNG images (on any Hadoop file system) read as grey pixels, in file-name order. MNIST's
 * convention is a light digit on a dark background; {@code invert} turns dark-on-light drawings into
 * it. Colour is reduced to luminance (ITU-R BT.601 weights) and transparency composited onto the
 * background, so a digit drawn on a transparent canvas reads as MNIST does.
 */
public final class PngFolder {
    private PngFolder() {
    }

    public static boolean isFolder(String path, Configuration hadoop) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(hadoop).getFileStatus(p).isDirectory();
        } catch (java.io.FileNotFoundException e) {
            throw new FfsparkException("input not found: " + path);
        } catch (IOException e) {
            throw new FfsparkException(path + ": cannot be read: " + StorageProblem.describe(e), e);
        }
    }

    /** The PNG files of {@code folder}, by name. */
    public static List<String> list(String folder, Configuration hadoop) {
        Path dir = new Path(folder);
        List<Path> files = new ArrayList<>();
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            for (FileStatus status : fs.listStatus(dir)) {
                if (status.isFile() && status.getPath().getName().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
                    files.add(status.getPath());
                }
            }
        } catch (IOException e) {
            throw new FfsparkException(folder + ": cannot be listed: " + StorageProblem.describe(e), e);
        }
        if (files.isEmpty()) {
            throw new FfsparkException(folder + " holds no .png files");
        }
        files.sort((a, b) -> a.getName().compareTo(b.getName()));
        return files.stream().map(Path::toString).toList();
    }

    /** One PNG as {@code rows x cols} grey pixels (light digits on dark, or the reverse with {@code invert}). */
    public static byte[] readImage(String file, int rows, int cols, boolean invert, Configuration hadoop) {
        Path path = new Path(file);
        BufferedImage image;
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            image = ImageIO.read(in);
        } catch (IOException e) {
            throw new FfsparkException(file + ": not a readable PNG (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new FfsparkException(file + ": not a readable PNG");
        }
        if (image.getWidth() != cols || image.getHeight() != rows) {
            throw new FfsparkException(file + ": image is " + image.getWidth() + "x" + image.getHeight()
                    + " but the model reads " + cols + "x" + rows + " images");
        }
        byte[] pixels = new byte[rows * cols];
        grey(image, invert, pixels, 0);
        return pixels;
    }

    static void grey(BufferedImage image, boolean invert, byte[] out, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        // Grey PNGs are read from their samples: getRGB would pass them through a linear-to-sRGB
        // conversion and change every value.
        boolean grey = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        boolean alpha = image.getColorModel().hasAlpha();
        int depth = image.getColorModel().getComponentSize(0);
        int[] argb = grey ? null : image.getRGB(0, 0, w, h, null, 0, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                double luminance;
                double opacity;
                if (grey) {
                    luminance = raster.getSample(x, y, 0) * 255.0 / ((1 << depth) - 1);
                    opacity = alpha ? raster.getSample(x, y, 1) / (double) ((1 << depth) - 1) : 1.0;
                } else {
                    int c = argb[p];
                    luminance = 0.299 * ((c >> 16) & 0xFF) + 0.587 * ((c >> 8) & 0xFF) + 0.114 * (c & 0xFF);
                    opacity = alpha ? ((c >>> 24) & 0xFF) / 255.0 : 1.0;
                }
                if (invert) {
                    luminance = 255 - luminance;
                }
                out[offset + p] = (byte) Math.round(luminance * opacity);
            }
        }
    }
}
