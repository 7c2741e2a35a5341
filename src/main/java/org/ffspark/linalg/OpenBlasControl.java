package org.ffspark.linalg;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * OpenBLAS's own controls, which netlib's BLAS interface does not reach: its thread count and the name
 * of the kernels it chose for this CPU. Loaded through JNA from the same file netlib loads, so both talk
 * to one library in the process.
 */
final class OpenBlasControl {
    /** The C functions, as OpenBLAS exports them. */
    interface Api extends Library {
        void openblas_set_num_threads(int threads);

        int openblas_get_num_threads();

        String openblas_get_corename();
    }

    /** The C library's {@code setenv}: OpenBLAS reads its settings from the process environment. */
    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private final Api api;

    /**
     * Before OpenBLAS loads: the kernels it runs, named in the environment it reads them from
     * ({@code OPENBLAS_CORETYPE}), by one rule every JVM of a run follows, whatever its environment says:
     * {@code FFSPARK_BLAS_KERNELS} when set (a kernel name, or {@code openblas} for OpenBLAS's own
     * detection), else the AVX-512 kernels the CPU can run, Cooperlake with the bf16 instructions and
     * SkylakeX without, else OpenBLAS's detection. That detection takes some AVX-512 CPUs (AMD's among
     * them) for Haswell, whose 256-bit kernels run at about 60% of the speed; and a driver and executors
     * that load OpenBLAS in different environments (a YARN container keeps few of its launcher's
     * variables) would otherwise run different kernels, whose sums round differently.
     *
     * @return the kernels named, or null if the choice was left to OpenBLAS
     */
    static String chooseKernels(String requested, String cpuFlags) {
        if (requested != null && requested.equalsIgnoreCase("openblas")) {
            return null;
        }
        String kernels = requested != null && !requested.isBlank() ? requested.trim() : byInstructions(cpuFlags);
        if (kernels == null) {
            return null;
        }
        try {
            Native.load("c", LibC.class).setenv("OPENBLAS_CORETYPE", kernels, 1);
            return kernels;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /** The AVX-512 kernels for CPU flags as /proc/cpuinfo lists them, or null without AVX-512. */
    static String byInstructions(String cpuFlags) {
        if (cpuFlags == null) {
            return null;
        }
        java.util.Set<String> flags = java.util.Set.of(cpuFlags.trim().split("\\s+"));
        if (!flags.containsAll(java.util.List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"))) {
            return null;
        }
        return flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX";
    }

    /** The CPU's flags as Linux lists them, or null where there is no /proc/cpuinfo. */
    static String cpuFlags() {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("flags")).findFirst().map(l -> l.substring(l.indexOf(':') + 1))
                    .orElse(null);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    private OpenBlasControl(Api api) {
        this.api = api;
    }

    /** The controls of the OpenBLAS at {@code path}, or null when it cannot be opened or is not OpenBLAS. */
    static OpenBlasControl open(String path) {
        try {
            Api api = Native.load(path, Api.class);
            api.openblas_get_num_threads(); // a library without it is no OpenBLAS
            return new OpenBlasControl(api);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /**
     * One thread per call: a product's sums then run in one fixed order whatever the machine's cores or
     * the process's environment ({@code OPENBLAS_NUM_THREADS} is not passed into every cluster's
     * executors), and Spark's task slots, not OpenBLAS, use the cores.
     */
    void useOneThread() {
        api.openblas_set_num_threads(1);
    }

    int threads() {
        return api.openblas_get_num_threads();
    }

    /** The kernels' name, such as {@code Cooperlake} or {@code Haswell}. */
    String kernels() {
        String name = api.openblas_get_corename();
        return name == null ? "unknown" : name.trim();
    }
}
