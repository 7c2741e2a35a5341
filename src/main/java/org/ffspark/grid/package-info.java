/**
 * Hyper-parameter grids: a grid file expanded into points, trained concurrently as separate Spark
 * jobs in one application, with a results table, a plot and resume.
 */
package org.ffspark.grid;
