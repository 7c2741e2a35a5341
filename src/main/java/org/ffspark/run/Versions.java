package org.ffspark.run;

/** The ffspark version, from the jar manifest (or "dev" when run from classes). */
public final class Versions {
    private Versions() {
    }

    public static String ffspark() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
