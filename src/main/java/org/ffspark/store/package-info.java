/**
 * What a run keeps on any Hadoop file system, knowing nothing of reports: the model file and its
 * header, safetensors both ways, checkpoints and the folder that rotates them, and the run's output
 * folder, every file written whole or not at all.
 */
package org.ffspark.store;
