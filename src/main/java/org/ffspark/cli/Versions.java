package org.ffspark.cli;

/** The ffspark version, from the jar manifest (or "dev" when run from classes). */
final class Versions {
    private Versions() {
    }

    static String ffspark() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
