/** Seed derivation: every random choice of a run as a function of the run seed and its position. */
package org.ffspark.random;
