/** Optimizers applied on the driver, one per layer: Adam with PyTorch's arithmetic. */
package org.ffspark.optim;
