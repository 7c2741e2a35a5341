package org.ffspark.optim;

import java.io.Serializable;

/** Adam's hyper-parameters; the defaults are PyTorch's with the notebook's learning rate 0.03. */
public record AdamSettings(double learningRate, double beta1, double beta2, double epsilon)
        implements Serializable {
    public static final AdamSettings NOTEBOOK = new AdamSettings(0.03, 0.9, 0.999, 1e-8);
}
