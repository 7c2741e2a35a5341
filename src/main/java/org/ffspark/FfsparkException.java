package org.ffspark;

/**
 * A problem the user can fix: bad input data, a wrong path, an invalid setting, a diverging run.
 *
 * <p>Its message is one line that names the file or key and the problem; the command line prints it
 * as is and exits non-zero. Anything else that escapes is a bug and is reported as such.
 */
public class FfsparkException extends RuntimeException {
    public FfsparkException(String message) {
        super(message);
    }

    public FfsparkException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The user problem behind a failure, or null: one raised on an executor reaches the driver
     * wrapped in Spark's exceptions.
     */
    public static FfsparkException findIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FfsparkException f) {
                return f;
            }
        }
        return null;
    }

    /** The first line of a lower-level error's message, to keep ours on one line. */
    public static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
