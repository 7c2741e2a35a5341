/**
 * Numerical kernels on row-major float blocks, knowing nothing of Forward-Forward: matrix products
 * through BLAS (and the native library chosen for it), products that skip ReLU's zeros, sums of squares
 * in a fixed eight-lane order, a task's products split between its cores, and their timing.
 */
package org.ffspark.linalg;
