package org.ffspark.data;

import org.ffspark.FfsparkException;

/**
 * One-line descriptions of file-system failures, naming the usual causes of object-store errors
 * (whose raw messages are long SDK texts) before the original first line.
 */
public final class StorageProblem {
    private StorageProblem() {
    }

    public static String describe(Throwable e) {
        String first = FfsparkException.firstLine(e);
        String all = String.valueOf(e);
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            all += " " + t;
        }
        if (all.contains("Status Code: 403") || all.contains("AccessDenied") || all.contains("Forbidden")) {
            return "access denied (check the credentials and the bucket's permissions): " + first;
        }
        if (all.contains("Connection refused") || all.contains("UnknownHost") || all.contains("Unable to execute HTTP request")
                || all.contains("connect timed out")) {
            return "cannot reach the storage endpoint (check fs.s3a.endpoint and the network): " + first;
        }
        if (all.contains("NoSuchBucket")) {
            return "no such bucket: " + first;
        }
        return first;
    }
}
