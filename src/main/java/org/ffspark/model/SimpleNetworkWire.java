package org.ffspark.model;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import org.ffspark.wire.CompactFloats;
import org.ffspark.wire.WireForm;

/** How a {@link SimpleFFNetwork} crosses the wire every step: its shape, then its floats in bulk. */
final class SimpleNetworkWire extends WireForm<SimpleFFNetwork> {
    private static final long serialVersionUID = 2L;

    public SimpleNetworkWire() {
        // for deserialization
    }

    SimpleNetworkWire(SimpleFFNetwork value) {
        super(value);
    }

    @Override
    protected void write(SimpleFFNetwork value, ObjectOutput out) throws IOException {
        out.writeInt(value.inputSize());
        out.writeInt(value.classes());
        out.writeObject(value.widths());
        out.writeObject(value.rule());
        out.writeObject(value.design());
        float[][] parameters = new float[value.blocks()][];
        for (int b = 0; b < parameters.length; b++) {
            parameters[b] = value.parameters(b);
        }
        float[][] unitMeans = new float[value.layers()][];
        for (int l = 0; l < unitMeans.length; l++) {
            unitMeans[l] = value.unitMeans(l);
        }
        CompactFloats.writeAll(out, parameters);
        CompactFloats.writeAll(out, unitMeans);
    }

    @Override
    protected SimpleFFNetwork read(ObjectInput in) throws IOException, ClassNotFoundException {
        int inputSize = in.readInt();
        int classes = in.readInt();
        int[] widths = (int[]) in.readObject();
        GoodnessRule rule = (GoodnessRule) in.readObject();
        SimpleFFNetwork.Design design = (SimpleFFNetwork.Design) in.readObject();
        return new SimpleFFNetwork(inputSize, classes, widths, rule, design, CompactFloats.readAll(in),
                CompactFloats.readAll(in));
    }
}
