package org.ffspark.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.ffspark.config.Settings;
import org.ffspark.run.ModelPrediction;

/** {@code predict MODEL INPUT OUT [key=value ...]}: reports what a prediction wrote. */
final class PredictionPrinter {
    private PredictionPrinter() {
    }

    static void print(ModelPrediction.Result r, String model, String input, String out, Settings settings,
                      PrintStream console) {
        console.printf(Locale.ROOT, "predicted %d images of %s with %s (hidden %s) in %.1f s, %.0f images/s%n",
                r.images(), input, model, r.hidden(), r.seconds(), r.images() / r.seconds());
        if (!Double.isNaN(r.accuracy())) {
            console.printf(Locale.ROOT, "accuracy %.2f%% against %s%n", 100 * r.accuracy(), settings.text("labels"));
        }
        if (r.lightBackground()) {
            System.err.println("ffspark: warning: most pixels of " + input + " are light: MNIST's digits are light on "
                    + "dark, so dark digits on a light background read as noise; add invert=true if that is what they "
                    + "are");
        }
        console.println("wrote " + out + " (" + r.format() + ")");
    }
}
