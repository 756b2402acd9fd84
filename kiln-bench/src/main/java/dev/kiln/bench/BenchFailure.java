package dev.kiln.bench;

/** A bench run that cannot be trusted: a lost, reordered or damaged message, or a step that never finished. */
final class BenchFailure extends Exception {
    BenchFailure(String message) {
        super(message);
    }
}
