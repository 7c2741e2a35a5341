package org.ffspark.linalg;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The OpenBLAS inside ffspark's jars (and other native libraries shipped the same way), unpacked into a
 * cache folder that only this user can write.
 */
final class BundledOpenBlas {
    private static final String BUNDLE = "org/bytedeco/openblas/linux-x86_64/";
    private static final List<String> BUNDLE_FILES = List.of("libopenblas.so.0", "libgfortran.so.5",
            "libquadmath.so.0", "libgcc_s.so.1");

    private BundledOpenBlas() {
    }

    /**
     * Extracts the bundled OpenBLAS and its runtime libraries under {@code cache}, once; null where the
     * classpath has no build for this platform.
     */
    static Path extract(Path cache) throws IOException {
        return extract(cache, BUNDLE, BUNDLE_FILES, "openblas-" + version());
    }

    /**
     * Extracts the native libraries {@code files} of a jar's {@code bundle} folder into
     * {@code cache/folder}, once (each file written under a temporary name and renamed into place, so JVMs
     * extracting at the same time do not see half a file); returns the first file, or null where the
     * classpath has no build for this platform.
     */
    static Path extract(Path cache, String bundle, List<String> files, String folderName) throws IOException {
        String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name").startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return null;
        }
        ClassLoader loader = BundledOpenBlas.class.getClassLoader();
        if (loader.getResource(bundle + files.get(0)) == null) {
            return null;
        }
        Path folder = cache.resolve(folderName);
        Files.createDirectories(folder);
        for (String name : files) {
            URL resource = loader.getResource(bundle + name);
            if (resource == null) {
                continue;
            }
            Path target = folder.resolve(name);
            URLConnection connection = resource.openConnection();
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(target) == connection.getContentLengthLong() && sameBytes(resource, target)) {
                continue; // extracted by an earlier run, byte for byte
            }
            Path temporary = Files.createTempFile(folder, "." + name, ".tmp");
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return folder.resolve(files.get(0));
    }

    /** Whether the file holds exactly the bytes of the resource (a library found in the cache is loaded only then). */
    private static boolean sameBytes(URL resource, Path file) throws IOException {
        try (InputStream a = new BufferedInputStream(resource.openStream(), 1 << 16);
             InputStream b = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS),
                     1 << 16)) {
            byte[] x = new byte[1 << 16];
            byte[] y = new byte[1 << 16];
            while (true) {
                int n = a.readNBytes(x, 0, x.length);
                int m = b.readNBytes(y, 0, y.length);
                if (n != m || !Arrays.equals(x, 0, n, y, 0, m)) {
                    return false;
                }
                if (n == 0) {
                    return true;
                }
            }
        }
    }

    /**
     * {@code $XDG_CACHE_HOME/ffspark}, else {@code ~/.cache/ffspark}, else (a home that cannot be written,
     * as in many YARN containers) a folder of the user's own in the temporary folder, which other users
     * can write to: it must be private (see {@link #privateFolder}).
     */
    static Path cacheFolder() throws IOException {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "ffspark");
        }
        Path home = Path.of(System.getProperty("user.home", ""));
        if (Files.isDirectory(home) && Files.isWritable(home)) {
            return home.resolve(".cache").resolve("ffspark");
        }
        return privateFolder(Path.of(System.getProperty("java.io.tmpdir"),
                "ffspark-" + System.getProperty("user.name", "user")));
    }

    /**
     * {@code folder}, created readable by its owner alone if it does not exist; refused unless it is a
     * real folder (not a symbolic link) that this user owns and nobody else may write or read: another
     * user could otherwise put a library there that every later run would load.
     */
    static Path privateFolder(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // made at the same moment by another JVM: checked below like any existing folder
            }
        }
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(folder + " is not a folder of its own (a link or a file)");
        }
        String owner = Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            throw new IOException(folder + " belongs to " + owner);
        }
        Set<PosixFilePermission> permissions =
                Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS);
        if (!PosixFilePermissions.toString(permissions).endsWith("------")) {
            throw new IOException(folder + " may be written or read by others ("
                    + PosixFilePermissions.toString(permissions) + ")");
        }
        return folder;
    }

    /** The bundled OpenBLAS's version, from the Maven metadata inside its jar. */
    static String version() {
        return version("openblas");
    }

    /** The version of a bundled bytedeco library ({@code openblas}, {@code dnnl}), from its jar's Maven metadata. */
    static String version(String artifact) {
        try (InputStream in = BundledOpenBlas.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.bytedeco/" + artifact + "/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            int dash = v.indexOf('-');
            return dash > 0 ? v.substring(0, dash) : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
