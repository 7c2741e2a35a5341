package org.ffspark.data;

import org.ffspark.FfsparkException;

/** An IDX file that is not what it claims to be: bad magic, truncated, inconsistent, out-of-range. */
public final class IdxFormatException extends FfsparkException {
    public IdxFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
