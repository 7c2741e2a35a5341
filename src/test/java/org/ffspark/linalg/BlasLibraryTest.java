package org.ffspark.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlasLibraryTest {
    @TempDir
    Path tmp;

    /** A libblas.so.3 as Debian's alternatives install it: a link to the real file in its own folder. */
    private Path alternative(String folder) throws Exception {
        Files.createDirectories(tmp.resolve(folder));
        Path real = Files.writeString(tmp.resolve(folder).resolve("libblas.so.3"), "not a real library");
        return Files.createSymbolicLink(tmp.resolve("libblas.so.3"), real);
    }

    @Test
    void theReferenceBlasBehindLibblasIsNeverChosen() throws Exception {
        alternative("blas"); // the reference BLAS, installed with numpy, R, PyTorch...
        assertNull(BlasLibrary.systemOpenBlas(List.of(tmp)));
        BlasLibrary.Choice choice = BlasLibrary.choose("auto", null, null);
        assertEquals("Java", choice.kind());
        assertEquals("", choice.path(), "nothing native is loaded");
    }

    @Test
    void anOpenBlasBehindLibblasIsFound() throws Exception {
        Path link = alternative("openblas-pthread");
        assertEquals(link, BlasLibrary.systemOpenBlas(List.of(tmp.resolve("none"), tmp)));
        Path direct = Files.writeString(tmp.resolve("libopenblas.so.0"), "x");
        assertEquals(direct, BlasLibrary.systemOpenBlas(List.of(tmp)), "libopenblas is looked for first");
    }

    @Test
    void theBundledLibraryComesFirstAndTheRequestOverrides() {
        Path bundled = Path.of("/cache/openblas/libopenblas.so.0");
        Path system = Path.of("/usr/lib/libopenblas.so.0");
        assertEquals(bundled.toString(), BlasLibrary.choose("auto", bundled, system).path());
        assertTrue(BlasLibrary.choose("auto", bundled, system).kind().startsWith("bundled OpenBLAS"));
        assertEquals(system.toString(), BlasLibrary.choose("auto", null, system).path());
        assertEquals(system.toString(), BlasLibrary.choose("system", bundled, system).path());
        assertEquals("Java", BlasLibrary.choose("java", bundled, system).kind());
        assertEquals("Java", BlasLibrary.choose("system", bundled, null).kind());
        assertEquals("/opt/mkl/libmkl_rt.so", BlasLibrary.choose("/opt/mkl/libmkl_rt.so", bundled, system).path());
    }

    private static void assumeTheBundledPlatform() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the bundled OpenBLAS is built for Linux on x86-64");
        assumeTrue(System.getenv("FFSPARK_BLAS") == null, "FFSPARK_BLAS chooses another library");
    }

    @Test
    void aCachedLibraryIsLoadedOnlyIfItIsTheBundledOneByteForByte() throws Exception {
        assumeTheBundledPlatform();
        Path library = BundledOpenBlas.extract(tmp);
        byte[] original = Files.readAllBytes(library);
        byte[] planted = original.clone();
        planted[planted.length / 2] ^= 1; // another library of the same size
        Files.write(library, planted);
        assertEquals(library, BundledOpenBlas.extract(tmp));
        assertArrayEquals(original, Files.readAllBytes(library), "the planted file was replaced");
    }

    @Test
    void theCacheInASharedFolderMustBeTheUsersAlone() throws Exception {
        Path fresh = BundledOpenBlas.privateFolder(tmp.resolve("ffspark-me"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(assertThrows(IOException.class, () -> BundledOpenBlas.privateFolder(open)).getMessage()
                .contains("may be written or read by others"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), fresh);
        assertTrue(assertThrows(IOException.class, () -> BundledOpenBlas.privateFolder(link)).getMessage()
                .contains("not a folder of its own"));
    }

    @Test
    void theKernelsFollowTheInstructionsTheCpuHas() {
        String avx2 = "fpu sse2 avx avx2 fma";
        String avx512 = avx2 + " avx512f avx512dq avx512cd avx512bw avx512vl";
        assertEquals(null, OpenBlasControl.byInstructions(avx2), "OpenBLAS's own detection");
        assertEquals("SkylakeX", OpenBlasControl.byInstructions(avx512));
        assertEquals("Cooperlake", OpenBlasControl.byInstructions(avx512 + " avx512_bf16"));
        assertEquals(null, OpenBlasControl.byInstructions(null));
    }

    @Test
    void oneThreadAndTheRuleKernelsWhateverTheEnvironmentSays() {
        assumeTheBundledPlatform();
        assumeTrue(System.getenv("FFSPARK_BLAS_KERNELS") == null, "FFSPARK_BLAS_KERNELS names other kernels");
        String expected = OpenBlasControl.byInstructions(OpenBlasControl.cpuFlags());
        assumeTrue(expected != null, "a CPU without AVX-512 keeps OpenBLAS's detection");
        // Surefire runs this JVM with OPENBLAS_NUM_THREADS=1; the machine may set OPENBLAS_CORETYPE.
        assertTrue(BlasLibrary.numerics().endsWith(", " + expected + " kernels, 1 thread"), BlasLibrary.numerics());
    }

    @Test
    void onThisProjectsLinuxMachinesTheProductsRunOnTheBundledOpenBlas() {
        assumeTheBundledPlatform();
        assertTrue(Gemm.library().startsWith("bundled OpenBLAS 0.3.31 "), Gemm.library());
        assertEquals("JNIBLAS", Gemm.implementation());
        assertTrue(Files.isRegularFile(Path.of(BlasLibrary.current().path())));
    }
}
