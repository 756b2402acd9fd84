package dev.kiln.bench;

/**
 * One line of the binary and stream table: a Kiln host's rate next to the physical ceiling measured
 * in the same host's run (the lower of the page fetching the same bytes from the app's loopback
 * server and a Java {@code byte[]} copy). Informational lines have no ceiling and no goal.
 *
 * @param metric      what is measured, with its unit
 * @param java        the Kiln Java host's value, NaN when not measured
 * @param javaCeiling the ceiling in the Java host's run, NaN for an informational line
 * @param ts          the Kiln TypeScript host's value, NaN when not measured
 * @param tsCeiling   the ceiling in the TypeScript host's run, NaN for an informational line
 * @param goal        the bound on value / ceiling, or null for an informational line
 */
record CeilingRow(String metric, double java, double javaCeiling, double ts, double tsCeiling, Row.Target goal) {

    double javaRatio() {
        return Row.ratio(java, javaCeiling);
    }

    double tsRatio() {
        return Row.ratio(ts, tsCeiling);
    }

    String javaVerdict() {
        return goal == null ? "" : goal.verdict(javaCeiling, java);
    }

    String tsVerdict() {
        return goal == null ? "" : goal.verdict(tsCeiling, ts);
    }
}
