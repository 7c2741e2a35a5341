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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Which native BLAS the matrix products run on, chosen before dev.ludovic.netlib loads one: by
 * default the OpenBLAS that ships inside ffspark (Maven's {@code org.bytedeco:openblas}, extracted
 * once to a cache folder), else an OpenBLAS the system has, else the pure-Java BLAS. Left alone,
 * netlib would load whatever {@code libblas.so.3} is, and on many machines (those with numpy, R or
 * PyTorch from Debian's packages but no OpenBLAS) that is the reference BLAS, slower than Java.
 * A reference BLAS is never loaded.
 *
 * <p>{@code FFSPARK_BLAS} (or the system property {@code ffspark.blas}) overrides the choice:
 * {@code bundled}, {@code system}, {@code java}, or the path of a BLAS library file.
 */
public final class BlasLibrary {
    static final String NETLIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
    static final String NETLIB_NAME = "dev.ludovic.netlib.blas.nativeLib";
    static final String NETLIB_ALLOW_NATIVE = "dev.ludovic.netlib.blas.allowNative";
    private static final String BUNDLE = "org/bytedeco/openblas/linux-x86_64/";
    /** The bundled library and the runtime libraries it finds beside it (its RUNPATH is its own folder). */
    private static final List<String> BUNDLE_FILES = List.of("libopenblas.so.0", "libgfortran.so.5",
            "libquadmath.so.0", "libgcc_s.so.1");
    private static final List<String> SYSTEM_FOLDERS = List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib", "/opt/OpenBLAS/lib");
    private static final List<String> SYSTEM_NAMES = List.of("libopenblas.so.0", "libopenblas.so", "libblas.so.3");

    /**
     * The library the products run on.
     *
     * @param kind   {@code bundled OpenBLAS}, {@code system OpenBLAS}, {@code given} or {@code Java}
     * @param path   the library file loaded, or "" for Java
     * @param reason why, when it is not the bundled library
     */
    public record Choice(String kind, String path, String reason) {
        public boolean isNative() {
            return !path.isEmpty();
        }

        /** One phrase for the console: kind and file. */
        public String text() {
            return isNative() ? kind + " " + path : kind + (reason.isEmpty() ? "" : " (" + reason + ")");
        }
    }

    private static Choice chosen;
    /** OpenBLAS's controls when the choice is an OpenBLAS, else null. */
    private static OpenBlasControl control;
    /** Why the bundled library could not be used, where that is not for want of a build for this platform. */
    private static String bundleProblem;

    private BlasLibrary() {
    }

    /**
     * Chooses the library and tells netlib, once per JVM; must run before netlib's BLAS is first used
     * (the matrix products call it as they load).
     */
    public static synchronized Choice select() {
        if (chosen == null) {
            chosen = decide();
            if (chosen.isNative()) {
                System.setProperty(NETLIB_PATH, chosen.path());
                if (chosen.path().toLowerCase(Locale.ROOT).contains("openblas")) {
                    OpenBlasControl.chooseKernels(System.getProperty("ffspark.blasKernels",
                            System.getenv("FFSPARK_BLAS_KERNELS")), OpenBlasControl.cpuFlags());
                }
                control = OpenBlasControl.open(chosen.path());
                if (control != null) {
                    control.useOneThread();
                }
            } else {
                System.setProperty(NETLIB_ALLOW_NATIVE, "false");
            }
        }
        return chosen;
    }

    /**
     * What decides this JVM's products' rounding: the library, the kernels OpenBLAS picked for the CPU
     * and its threads (for the Java BLAS, its name alone). Two JVMs that print the same compute the same
     * products bit for bit.
     */
    public static synchronized String numerics() {
        Choice choice = select();
        if (control == null) {
            return choice.text();
        }
        return choice.text() + ", " + control.kernels() + " kernels, " + control.threads() + " thread"
                + (control.threads() == 1 ? "" : "s");
    }

    /** The choice made in this JVM (selecting it if not done yet). */
    public static Choice current() {
        return select();
    }

    private static Choice decide() {
        String given = System.getProperty(NETLIB_PATH, System.getProperty(NETLIB_NAME, ""));
        if (!given.isEmpty()) {
            return new Choice("given", given, "set by " + NETLIB_PATH);
        }
        String request = System.getProperty("ffspark.blas", System.getenv().getOrDefault("FFSPARK_BLAS", "auto"));
        Path bundled = request.equals("auto") || request.equals("bundled") ? extractBundled() : null;
        Path system = request.equals("auto") || request.equals("system") ? systemOpenBlas(systemFolders()) : null;
        return choose(request, bundled, system);
    }

    /**
     * The choice for {@code request} ({@code auto}, {@code bundled}, {@code system}, {@code java} or a
     * path), given the bundled library (null if unavailable) and a system OpenBLAS (null if none).
     */
    static Choice choose(String request, Path bundled, Path system) {
        switch (request.toLowerCase(Locale.ROOT)) {
            case "java" -> {
                return new Choice("Java", "", "FFSPARK_BLAS=java");
            }
            case "bundled" -> {
                return bundled != null ? bundledChoice(bundled)
                        : new Choice("Java", "", "FFSPARK_BLAS=bundled, but " + noBundle());
            }
            case "system" -> {
                return system != null ? new Choice("system OpenBLAS", system.toString(), "FFSPARK_BLAS=system")
                        : new Choice("Java", "", "FFSPARK_BLAS=system, but no system OpenBLAS found");
            }
            case "auto" -> {
                if (bundled != null) {
                    return bundledChoice(bundled);
                }
                if (system != null) {
                    return new Choice("system OpenBLAS", system.toString(), noBundle());
                }
                return new Choice("Java", "", bundleProblem != null ? bundleProblem : "no OpenBLAS for " + platform());
            }
            default -> {
                return new Choice("given", request, "FFSPARK_BLAS");
            }
        }
    }

    private static Choice bundledChoice(Path bundled) {
        return new Choice("bundled OpenBLAS " + bundledVersion(), bundled.toString(), "");
    }

    private static String noBundle() {
        return bundleProblem != null ? bundleProblem : "no bundled OpenBLAS for " + platform();
    }

    private static String platform() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    /**
     * The first OpenBLAS in {@code folders}: a {@code libopenblas} file, or a {@code libblas.so.3} whose
     * real file (after the symbolic links Debian's alternatives make) is OpenBLAS. Any other
     * {@code libblas.so.3} is taken for the reference BLAS and passed over.
     */
    static Path systemOpenBlas(List<Path> folders) {
        for (Path folder : folders) {
            for (String name : SYSTEM_NAMES) {
                Path candidate = folder.resolve(name);
                if (!Files.exists(candidate)) {
                    continue;
                }
                try {
                    Path real = candidate.toRealPath();
                    if (real.toString().toLowerCase(Locale.ROOT).contains("openblas")) {
                        return candidate;
                    }
                } catch (IOException e) {
                    // a dangling link: not a library
                }
            }
        }
        return null;
    }

    private static List<Path> systemFolders() {
        List<Path> folders = new ArrayList<>();
        String libraryPath = System.getenv("LD_LIBRARY_PATH");
        if (libraryPath != null) {
            for (String dir : libraryPath.split(":")) {
                if (!dir.isBlank()) {
                    folders.add(Path.of(dir));
                }
            }
        }
        SYSTEM_FOLDERS.forEach(f -> folders.add(Path.of(f)));
        return folders;
    }

    /**
     * Extracts the bundled OpenBLAS and its runtime libraries into a cache folder of their own, once
     * (each file written under a temporary name and renamed into place, so JVMs extracting at the same
     * time do not see half a file); null where the classpath has no build for this platform.
     */
    private static Path extractBundled() {
        try {
            return extractBundled(cacheFolder());
        } catch (IOException | SecurityException e) {
            bundleProblem = "the bundled OpenBLAS cannot be unpacked: " + e.getMessage();
            return null;
        }
    }

    /** The bundled library unpacked under {@code cache} (see {@link #extractBundled()}), or null. */
    static Path extractBundled(Path cache) {
        String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name").startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return null;
        }
        ClassLoader loader = BlasLibrary.class.getClassLoader();
        if (loader.getResource(BUNDLE + BUNDLE_FILES.get(0)) == null) {
            return null;
        }
        try {
            Path folder = cache.resolve("openblas-" + bundledVersion());
            Files.createDirectories(folder);
            for (String name : BUNDLE_FILES) {
                URL resource = loader.getResource(BUNDLE + name);
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
            return folder.resolve(BUNDLE_FILES.get(0));
        } catch (IOException | SecurityException e) {
            bundleProblem = "the bundled OpenBLAS cannot be unpacked: " + e.getMessage();
            return null;
        }
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
    private static Path cacheFolder() throws IOException {
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
    static String bundledVersion() {
        try (InputStream in = BlasLibrary.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.bytedeco/openblas/pom.properties")) {
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
