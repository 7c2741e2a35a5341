package org.ffspark.linalg;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.MemorySegment;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SymbolLookup;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.ffspark.wire.Bfloat16;

/**
 * oneDNN's bfloat16 matrix product ({@code dnnl_gemm_bf16bf16f32}: bfloat16 operands, float32 sums and
 * result), called through Java 17's foreign linker ({@code jdk.incubator.foreign}) on the oneDNN library
 * inside ffspark's jars (bytedeco's {@code dnnl} build, unpacked like the bundled OpenBLAS). Loaded only
 * when bfloat16 products are asked for ({@link Bf16Products}), so nothing else needs that module.
 *
 * <p>The operands are rounded to bfloat16 as {@link Bfloat16#round} does (to nearest, ties to even; NaN
 * stays NaN), in vectors, into native buffers
 * of the calling thread; each product is split by its outputs between the task's threads, each slice a
 * single-threaded oneDNN call, so an output does not depend on the thread count.
 */
final class OneDnnProducts {
    private static final String BUNDLE = "org/bytedeco/dnnl/linux-x86_64/";
    private static final List<String> FILES = List.of("libdnnl.so.3", "libgomp.so.1");
    // Eight floats, the size of every other float vector in the process (VectorLaneSums says why).
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
    // A float's bfloat16 is half its bits: the shorts of eight floats fill a 128-bit vector.
    private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_128;
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private final MethodHandle gemm;
    private final MethodHandle ompThreads;
    private final String version;

    private OneDnnProducts(MethodHandle gemm, MethodHandle ompThreads, String version) {
        this.gemm = gemm;
        this.ompThreads = ompThreads;
        this.version = version;
    }

    /** Unpacks and loads oneDNN; fails with the reason when it cannot. */
    static OneDnnProducts load() throws IOException {
        String version = BundledOpenBlas.version("dnnl");
        Path library = BundledOpenBlas.extract(BundledOpenBlas.cacheFolder(), BUNDLE, FILES, "dnnl-" + version);
        if (library == null) {
            throw new IOException("the jars hold no oneDNN build for " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"));
        }
        System.load(library.resolveSibling("libgomp.so.1").toString());
        System.load(library.toString());
        SymbolLookup symbols = SymbolLookup.loaderLookup();
        CLinker linker = CLinker.getInstance();
        MemoryAddress gemmSymbol = symbols.lookup("dnnl_gemm_bf16bf16f32")
                .orElseThrow(() -> new IOException(library + " has no dnnl_gemm_bf16bf16f32"));
        MethodHandle gemm = linker.downcallHandle(gemmSymbol,
                MethodType.methodType(int.class, byte.class, byte.class, long.class, long.class, long.class,
                        float.class, MemoryAddress.class, long.class, MemoryAddress.class, long.class, float.class,
                        MemoryAddress.class, long.class),
                FunctionDescriptor.of(CLinker.C_INT, CLinker.C_CHAR, CLinker.C_CHAR, CLinker.C_LONG, CLinker.C_LONG,
                        CLinker.C_LONG, CLinker.C_FLOAT, CLinker.C_POINTER, CLinker.C_LONG, CLinker.C_POINTER,
                        CLinker.C_LONG, CLinker.C_FLOAT, CLinker.C_POINTER, CLinker.C_LONG));
        MemoryAddress threadsSymbol = symbols.lookup("omp_set_num_threads")
                .orElseThrow(() -> new IOException("libgomp.so.1 has no omp_set_num_threads"));
        MethodHandle threads = linker.downcallHandle(threadsSymbol, MethodType.methodType(void.class, int.class),
                FunctionDescriptor.ofVoid(CLinker.C_INT));
        return new OneDnnProducts(gemm, threads, version);
    }

    String version() {
        return version;
    }

    /**
     * {@code out[rows x outputs] = in[rows x k] * W^T}, row {@code o} of {@code W} at
     * {@code w[offset + o * stride]}, the operands rounded to bfloat16.
     */
    void timesTransposedWeights(float[] in, int rows, int k, float[] w, int offset, int stride, int outputs,
                                float[] out) {
        Buffers buffers = BUFFERS.get();
        buffers.fit(rows, k, outputs);
        ByteBuffer a = buffers.aBytes;
        ByteBuffer b = buffers.bBytes;
        for (int r = 0; r < rows; r++) {
            round(in, r * k, k, a, 2L * r * k);
        }
        MemoryAddress aAddress = buffers.a.address();
        MemoryAddress bAddress = buffers.b.address();
        MemoryAddress cAddress = buffers.c.address();
        ProductThreads.split(outputs, (long) outputs * rows * k, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                round(w, offset + o * stride, k, b, 2L * o * k);
            }
            call(rows, o1 - o0, k, aAddress, bAddress.addOffset(2L * o0 * k), cAddress.addOffset(4L * o0), outputs);
        });
        buffers.cFloats.get(0, out, 0, rows * outputs);
    }

    private void call(int rows, int outputs, int k, MemoryAddress a, MemoryAddress b, MemoryAddress c, int ldc) {
        int status;
        try {
            ompThreads.invokeExact(1);
            status = (int) gemm.invokeExact((byte) 'N', (byte) 'T', (long) rows, (long) outputs, (long) k, 1f, a,
                    (long) k, b, (long) k, 0f, c, (long) ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("oneDNN's bfloat16 product failed", e);
        }
        if (status != 0) {
            throw new IllegalStateException("oneDNN's bfloat16 product " + rows + "x" + k + " by " + k + "x" + outputs
                    + " returned status " + status);
        }
    }

    /** {@code src[from .. from + length)} rounded to bfloat16 into {@code dst} from byte {@code at}. */
    static void round(float[] src, int from, int length, ByteBuffer dst, long at) {
        int body = FLOATS.loopBound(length);
        int position = (int) at;
        int j = 0;
        for (; j < body; j += FLOATS.length()) {
            FloatVector v = FloatVector.fromArray(FLOATS, src, from + j);
            IntVector bits = v.reinterpretAsInts();
            IntVector upper = bits.lanewise(VectorOperators.LSHR, 16);
            IntVector rounded = bits.add(upper.and(1)).add(0x7fff).lanewise(VectorOperators.LSHR, 16)
                    .blend(upper.or(0x0040), v.test(VectorOperators.IS_NAN).cast(INTS));
            ((ShortVector) rounded.convertShape(VectorOperators.I2S, SHORTS, 0))
                    .intoByteBuffer(dst, position + 2 * j, ByteOrder.LITTLE_ENDIAN);
        }
        for (; j < length; j++) {
            dst.putShort(position + 2 * j, Bfloat16.round(src[from + j]));
        }
    }

    /** A thread's native operand and result buffers, grown to the largest product seen. */
    private static final class Buffers {
        private final ResourceScope scope = ResourceScope.newImplicitScope();
        private MemorySegment a;
        private MemorySegment b;
        private MemorySegment c;
        private ByteBuffer aBytes;
        private ByteBuffer bBytes;
        private FloatBuffer cFloats;

        void fit(int rows, int k, int outputs) {
            if (a == null || a.byteSize() < 2L * rows * k) {
                a = MemorySegment.allocateNative(2L * rows * k, 64, scope);
                aBytes = a.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            }
            if (b == null || b.byteSize() < 2L * outputs * k) {
                b = MemorySegment.allocateNative(2L * outputs * k, 64, scope);
                bBytes = b.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            }
            if (c == null || c.byteSize() < 4L * rows * outputs) {
                c = MemorySegment.allocateNative(4L * rows * outputs, 64, scope);
                cFloats = c.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
        }
    }
}
