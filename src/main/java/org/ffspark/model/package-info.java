/**
 * The Forward-Forward maths on row-major float blocks and BLAS, free of Spark so it can be tested
 * alone: the network and its goodness rule, the local learning rule, scoring by goodness, the
 * saved-model format. docs/ff-maths.md gives the equations.
 */
package org.ffspark.model;
