package org.ffspark.ml;

/**
 * Hands a uid to a Params object while its Scala parents are being constructed. Their trait
 * initialisers create Params (featuresCol, labelCol...) named after {@code uid()}, and they run before
 * a Java subclass has assigned any field, so {@code uid()} answers from here until the field is set.
 */
final class ConstructionUid {
    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

    /** Opaque token: evaluating it in a {@code this(...)} call stores the uid before super() runs. */
    static final class Token {
        private Token() {
        }
    }

    private ConstructionUid() {
    }

    static Token hold(String uid) {
        PENDING.set(uid);
        return new Token();
    }

    static String pending() {
        return PENDING.get();
    }

    /** The held uid, cleared for the next construction on this thread. */
    static String take(Token token) {
        String uid = PENDING.get();
        PENDING.remove();
        return uid;
    }
}
