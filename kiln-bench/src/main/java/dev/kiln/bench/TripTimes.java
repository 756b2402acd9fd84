package dev.kiln.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Round trips timed as chains, gathered over several runs: in a chain each trip starts the next
 * one, so the interval between two consecutive stamps (taken at the same point of every trip) is
 * one full trip.
 *
 * <p>Threading: one thread adds and reads.
 */
final class TripTimes {
    private final List<long[]> runs = new ArrayList<>();

    /**
     * Adds the trips of one chain after its {@code warm} warm-up ones: the intervals between
     * {@code stamps[warm]} and the last stamp.
     *
     * @throws BenchFailure if a stamp is missing (0): a trip was lost
     */
    void add(long[] stamps, int warm, String what) throws BenchFailure {
        int n = stamps.length - 1 - warm;
        long[] trips = new long[n];
        for (int i = 0; i < n; i++) {
            long a = stamps[warm + i];
            long b = stamps[warm + i + 1];
            if (a == 0 || b == 0) {
                throw new BenchFailure(what + ": trip " + (a == 0 ? warm + i : warm + i + 1) + " was never seen");
            }
            trips[i] = b - a;
        }
        runs.add(trips);
    }

    /** The p50 and p99 of every trip added, in microseconds. */
    double[] percentiles() {
        long[] all = runs.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        int n = all.length;
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {micros(all[n / 2]), micros(all[Math.min(n - 1, (int) (n * 0.99))])};
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
