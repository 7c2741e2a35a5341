package org.ffspark.linalg;

import java.util.Locale;

/** The precision of training's forward products (the key {@code products}). */
public enum ProductPrecision {
    /** float32 operands and sums, by the BLAS {@link Gemm} chooses. */
    FLOAT32,
    /** bfloat16 operands, float32 sums ({@link Bf16Products}). */
    BFLOAT16;

    /** The key's value: {@code float32} or {@code bfloat16}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
