/**
 * The Forward-Forward maths on row-major float blocks and BLAS, free of Spark so it can be tested
 * alone: both networks and their goodness rule, the local learning rules, negatives, peer
 * normalisation, the readout's neutral pass, scoring by goodness. docs/ff-maths.md gives the equations.
 */
package org.ffspark.model;
