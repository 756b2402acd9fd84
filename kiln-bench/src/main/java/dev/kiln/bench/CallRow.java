package dev.kiln.bench;

/**
 * One line of the calls table: a call (invoke/handle) round trip of each Kiln host next to the
 * message (send/on) round trip of the same host in the same run. The baseline has no calls.
 *
 * @param metric     what is measured, with its unit
 * @param java       the Kiln Java host's call round trip, NaN when not measured
 * @param javaSendOn the Kiln Java host's send/on round trip at the same percentile
 * @param ts         the Kiln TypeScript host's call round trip, NaN when not measured
 * @param tsSendOn   the Kiln TypeScript host's send/on round trip at the same percentile
 * @param target     the bound on call / send-on, for both hosts
 */
record CallRow(String metric, double java, double javaSendOn, double ts, double tsSendOn, Row.Target target) {

    double javaRatio() {
        return Row.ratio(java, javaSendOn);
    }

    double tsRatio() {
        return Row.ratio(ts, tsSendOn);
    }

    String javaVerdict() {
        return target.verdict(javaSendOn, java);
    }

    String tsVerdict() {
        return target.verdict(tsSendOn, ts);
    }
}
