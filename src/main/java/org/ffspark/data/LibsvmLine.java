package org.ffspark.data;

import java.util.Arrays;

/**
 * One line of a LIBSVM file, {@code label index:value index:value ...}, parsed and checked: a number
 * for the label, indices that are whole numbers from 1 and rise, values that are finite numbers. Blank
 * lines and comments ({@code #} to the end of the line) hold nothing. A problem is an
 * {@link IllegalArgumentException} saying what is wrong with the line, for the caller to name the file and
 * line number.
 *
 * @param indices the features' zero-based positions, rising
 */
public record LibsvmLine(double label, int[] indices, double[] values) {
    /** The line's example, or null for a blank line or a comment. */
    public static LibsvmLine parse(String line) {
        int hash = line.indexOf('#');
        String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
        if (text.isEmpty()) {
            return null;
        }
        String[] tokens = text.split("\\s+");
        double label = number(tokens[0], "the label");
        int[] indices = new int[tokens.length - 1];
        double[] values = new double[tokens.length - 1];
        int previous = 0;
        for (int t = 1; t < tokens.length; t++) {
            String token = tokens[t];
            int colon = token.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("'" + token + "' is not index:value");
            }
            int index;
            try {
                index = Integer.parseInt(token.substring(0, colon));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("index '" + token.substring(0, colon) + "' is not a whole number");
            }
            if (index < 1) {
                throw new IllegalArgumentException("index " + index + " is below 1 (LIBSVM indices start at 1)");
            }
            if (index <= previous) {
                throw new IllegalArgumentException("index " + index + " follows " + previous
                        + " (indices must rise along a line)");
            }
            previous = index;
            indices[t - 1] = index - 1;
            values[t - 1] = number(token.substring(colon + 1), "the value of index " + index);
        }
        return new LibsvmLine(label, indices, values);
    }

    private static double number(String text, String what) {
        double x;
        try {
            x = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a number");
        }
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException(what + " is " + text + ", not a finite number");
        }
        return x;
    }

    /** One more than the largest index: the width this line needs. */
    public int width() {
        return indices.length == 0 ? 0 : indices[indices.length - 1] + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LibsvmLine l && label == l.label && Arrays.equals(indices, l.indices)
                && Arrays.equals(values, l.values);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(label) + Arrays.hashCode(indices);
    }
}
