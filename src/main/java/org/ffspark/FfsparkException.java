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
}
