/** Reports of a run: the output directory with atomic writes, metrics.jsonl, console progress, JSON. */
package org.ffspark.report;
