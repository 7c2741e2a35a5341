package org.ffspark.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.ffspark.config.Settings;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.run.ModelEvaluation;

/** {@code evaluate MODEL DATA [key=value ...]}: prints a saved model's accuracy on DATA. */
final class EvaluationPrinter {
    private EvaluationPrinter() {
    }

    static void print(ModelEvaluation.Result r, Settings settings, PrintStream console) {
        ConfusionMatrix matrix = r.matrix();
        console.printf(Locale.ROOT, "model %s (hidden %s, classified by %s) on %d %s images of %s%n", r.model(),
                r.hidden(), r.classifier(), r.images(), r.split(), r.data());
        console.printf(Locale.ROOT, "accuracy %.2f%%%n", 100 * r.accuracy());
        console.println("per-class accuracy: " + matrix.classAccuracyText());
        console.print(matrix.format());
        if (!settings.text("json").isEmpty()) {
            console.println("wrote " + settings.text("json"));
        }
    }
}
