/**
 * Seed derivation (every random choice of a run as a function of the run seed and its position), and
 * PyTorch's generator and {@code randperm}, reproduced so the data subset is the notebook's own.
 */
package org.ffspark.random;
