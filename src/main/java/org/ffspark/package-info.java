/**
 * ffspark: Hinton's Forward-Forward learning as a Spark training job.
 *
 * <p>Data flows through the packages in this order: {@code data} (IDX files, validation, partitioned
 * blocks) → {@code model} (FF maths on float arrays, no Spark) → {@code optim} (Adam) → {@code train}
 * (the distributed step and the epoch loop) → {@code eval} (accuracy, confusion matrix) →
 * {@code report} (metrics, summary, model files) → {@code cli} (commands and configuration).
 */
package org.ffspark;
