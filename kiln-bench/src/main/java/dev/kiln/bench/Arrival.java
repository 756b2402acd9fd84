package dev.kiln.bench;

/**
 * A counter that one thread waits on until it reaches a target, without spinning.
 *
 * <p>Threading: {@link #add} from any thread; {@link #await} blocks the caller (a benchmark
 * thread, never an engine or UI thread).
 */
final class Arrival {
    // guarded by this
    private long count;

    synchronized void add(long n) {
        count += n;
        notifyAll();
    }

    synchronized long count() {
        return count;
    }

    synchronized void await(long target) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (count < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("Timed out at " + count + " of " + target + ": an event was lost");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
