package dev.kiln.bench;

/**
 * One line of the inspector table: the Kiln Java host without and with the live IPC inspector (one
 * reader of its events) in the same run, and the Java host against the baseline, so that the cost
 * of the inspector when on, and of its hooks when off, can be read from one run.
 *
 * @param metric   what is measured, with its unit
 * @param baseline the baseline's value of the same metric, NaN when it has none
 * @param off      the Kiln Java host, inspector off
 * @param on       the Kiln Java host with the inspector on and read
 */
record InspectorRow(String metric, double baseline, double off, double on) {

    double offRatio() {
        return Row.ratio(off, baseline);
    }

    double onRatio() {
        return Row.ratio(on, off);
    }
}
