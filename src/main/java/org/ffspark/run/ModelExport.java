package org.ffspark.run;

import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.ffspark.model.FFNetwork;
import org.ffspark.store.RunOutput;
import org.ffspark.store.Safetensors;

/** A saved model's weights as a safetensors file: the service under {@code submit/export.sh}. */
public final class ModelExport {
    private ModelExport() {
    }

    /** What was written. */
    public record Result(String out, int tensors, String model, String hidden) {
    }

    /** Reads {@code model} and writes it to {@code out}, whole or not at all. */
    public static Result write(String model, String out, Configuration hadoop) {
        FFNetwork network = SavedModels.read(model, hadoop).network();
        byte[] bytes = Safetensors.toBytes(network, Map.of("exportedFrom", new Path(model).getName()));
        Path target = new Path(out);
        String parent = target.getParent() == null ? "." : target.getParent().toString();
        RunOutput folder = new RunOutput(parent, hadoop);
        folder.prepareDirectory();
        folder.write(target.getName(), bytes);
        int tensors = network.model().equals("recurrent") ? 3 * network.layers()
                : 2 * network.layers() + (network.blocks() > network.layers() ? 1 : 0);
        return new Result(out, tensors, network.model(), Arrays.toString(network.widths()));
    }
}
