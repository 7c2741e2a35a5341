/** Reports of a run: metrics.jsonl, console progress, the summary, the HTML report and its charts, JSON. */
package org.ffspark.report;
