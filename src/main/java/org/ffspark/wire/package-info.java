/**
 * How weights, gradients and replicas cross the wire between driver and executors: float arrays as
 * raw bytes in bulk, behind Java serialization's {@code writeReplace}.
 */
package org.ffspark.wire;
