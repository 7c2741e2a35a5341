/** Evaluation: prediction by goodness over all label hypotheses, accuracy and confusion matrix. */
package org.ffspark.eval;
