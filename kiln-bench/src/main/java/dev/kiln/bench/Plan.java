package dev.kiln.bench;

import java.util.List;

/**
 * How much each measurement does: {@code tiny} for the smoke test, {@code quick} for a check in
 * under two minutes, {@code full} for the published numbers; {@code binary} and {@code binary256}
 * measure the binary rows (10 MiB and 256 MiB payloads) with everything else at the smoke test's size.
 *
 * @param name            the plan's name
 * @param h2rMessages     messages per host-to-renderer run (batched baseline and Kiln)
 * @param naiveMessages   messages per run of the naive baseline, which is far slower
 * @param r2hMessages     messages per renderer-to-host run
 * @param repeats         runs per throughput and large-payload measurement (the median is kept)
 * @param roundTrips      timed round trips (after a tenth as many warm-up trips)
 * @param largeSizes      large payload sizes, in bytes
 * @param soakMessages    messages moved in total before the second memory reading
 * @param startupSamples  process starts measured per host and round (the median of all is kept)
 * @param rounds          runs of every host, alternating hosts (the median per metric is kept)
 * @param binaryBytes     the size of the one-payload binary runs each way (0: none)
 * @param streamBytes     the size of the host-to-page streams of {@link #STREAM_CHUNK} chunks (0: none)
 */
record Plan(String name, int h2rMessages, int naiveMessages, int r2hMessages, int repeats, int roundTrips,
            List<Integer> largeSizes, long soakMessages, int startupSamples, int rounds, int binaryBytes,
            int streamBytes) {
    static final int MB = 1024 * 1024;
    /** The chunk size of the bench's streams, as an app moving a large file would use. */
    static final int STREAM_CHUNK = MB;

    static Plan named(String name) {
        return switch (name) {
            case "tiny" -> new Plan("tiny", 2_000, 500, 2_000, 1, 100, List.of(MB), 10_000, 1, 1, MB, 4 * MB);
            case "quick" -> new Plan("quick", 200_000, 20_000, 200_000, 3, 2_000, List.of(MB, 10 * MB), 500_000, 1, 1, 10 * MB, 64 * MB);
            case "binary" -> new Plan("binary", 2_000, 500, 2_000, 5, 100, List.of(), 10_000, 1, 1, 10 * MB, 16 * MB);
            case "binary256" -> new Plan("binary256", 2_000, 500, 2_000, 3, 100, List.of(), 10_000, 1, 1, 256 * MB, 16 * MB);
            case "latency" -> new Plan("latency", 2_000, 500, 2_000, 1, 20_000, List.of(), 10_000, 1, 3, 0, 0);
            case "full" -> new Plan("full", 500_000, 50_000, 500_000, 5, 10_000, List.of(MB, 10 * MB), 1_000_000, 2, 3, 10 * MB, 256 * MB);
            default -> throw new IllegalArgumentException("Unknown plan '" + name + "': use tiny, quick, latency, full, binary or binary256");
        };
    }
}
