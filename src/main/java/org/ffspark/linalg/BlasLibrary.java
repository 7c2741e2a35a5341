package org.ffspark.linalg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
    /** The bundled library and the runtime libraries it finds beside it (its RUNPATH is its own folder). */
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
        return new Choice("bundled OpenBLAS " + BundledOpenBlas.version(), bundled.toString(), "");
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

    /** The bundled OpenBLAS unpacked into the cache ({@link BundledOpenBlas}), or null with the reason kept. */
    private static Path extractBundled() {
        try {
            return BundledOpenBlas.extract(BundledOpenBlas.cacheFolder());
        } catch (IOException | SecurityException e) {
            bundleProblem = "the bundled OpenBLAS cannot be unpacked: " + e.getMessage();
            return null;
        }
    }
}
