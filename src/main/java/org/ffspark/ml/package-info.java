/**
 * Spark ML: the simple FF model as an Estimator and a Model that fit into Pipelines, parameter grids
 * and CrossValidator, trained by the same distributed trainer as the {@code train} command.
 */
package org.ffspark.ml;
