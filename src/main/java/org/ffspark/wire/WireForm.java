package org.ffspark.wire;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;

/**
 * The serialized form of an object that crosses the wire every training step (weights, gradients,
 * replica states): a class returns one from {@code writeReplace}, and a subclass writes and reads its
 * fields, float arrays through {@link CompactFloats}. Java serialization then stores the proxy and
 * resolves it back to the object.
 */
public abstract class WireForm<T> implements Externalizable {
    private static final long serialVersionUID = 1L;
    private T value;

    /** For deserialization: subclasses need a public no-argument constructor calling this. */
    protected WireForm() {
    }

    protected WireForm(T value) {
        this.value = value;
    }

    protected abstract void write(T object, ObjectOutput out) throws IOException;

    protected abstract T read(ObjectInput in) throws IOException, ClassNotFoundException;

    @Override
    public final void writeExternal(ObjectOutput out) throws IOException {
        write(value, out);
    }

    @Override
    public final void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
        value = read(in);
    }

    protected final Object readResolve() {
        return value;
    }
}
