package dev.kiln.bench;

/**
 * One line of the bench table: a metric for the baseline and both Kiln hosts, and its targets.
 *
 * @param metric     what is measured, with its unit
 * @param baseline   the baseline's value (which form is named in the metric)
 * @param java       the Kiln Java host's value, NaN when not measured
 * @param ts         the Kiln TypeScript host's value, NaN when not measured
 * @param javaTarget the Java host's target, or null when this row has none
 * @param tsTarget   the TypeScript host's target, or null when this row has none
 */
record Row(String metric, double baseline, double java, double ts, Target javaTarget, Target tsTarget) {

    /** A target: a bound on the ratio to the baseline, or on the difference from it. */
    record Target(Kind kind, double bound) {
        enum Kind { RATIO_AT_LEAST, RATIO_AT_MOST, PLUS_AT_MOST }

        static Target atLeast(double ratio) {
            return new Target(Kind.RATIO_AT_LEAST, ratio);
        }

        static Target atMost(double ratio) {
            return new Target(Kind.RATIO_AT_MOST, ratio);
        }

        static Target plusAtMost(double delta) {
            return new Target(Kind.PLUS_AT_MOST, delta);
        }

        /** PASS or MISS, or "n/a" when either value is missing. */
        String verdict(double baseline, double value) {
            if (Double.isNaN(baseline) || Double.isNaN(value)) {
                return "n/a";
            }
            boolean pass = switch (kind) {
                case RATIO_AT_LEAST -> value / baseline >= bound;
                case RATIO_AT_MOST -> value / baseline <= bound;
                case PLUS_AT_MOST -> value <= baseline + bound;
            };
            return pass ? "PASS" : "MISS";
        }

        @Override
        public String toString() {
            return switch (kind) {
                case RATIO_AT_LEAST -> ">= " + bound + "x";
                case RATIO_AT_MOST -> "<= " + bound + "x";
                case PLUS_AT_MOST -> "<= base + " + bound + " s";
            };
        }
    }

    static double ratio(double kiln, double baseline) {
        return Double.isNaN(kiln) || Double.isNaN(baseline) || baseline == 0 ? Double.NaN : kiln / baseline;
    }

    String javaVerdict() {
        return javaTarget == null ? "" : javaTarget.verdict(baseline, java);
    }

    String tsVerdict() {
        return tsTarget == null ? "" : tsTarget.verdict(baseline, ts);
    }
}
