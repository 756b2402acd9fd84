package dev.kiln.script;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a reader thread takes from a blocking source (a response body, a process's output), handed
 * to the script one item at a time through {@link #next()}.
 *
 * <p>At most {@code capacity} items wait; beyond that the reader thread waits, so a script that stops
 * reading stops the source rather than filling memory. Threading: {@link #put}, {@link #end} on the
 * reader thread; {@link #next()} and {@link #close()} from any thread, never blocking.
 */
final class ReadQueue<T> {
    private static final int CHUNK = 64 * 1024;

    private final int capacity;
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private CompletableFuture<T> waiting;
    private boolean ended;
    private boolean closed;
    private Throwable failure;

    ReadQueue(int capacity) {
        this.capacity = capacity;
    }

    /** The chunks of {@code in}, read on {@code executor} until its end, as byte arrays. */
    static ReadQueue<byte[]> chunks(InputStream in, Executor executor) {
        ReadQueue<byte[]> q = new ReadQueue<>(16);
        executor.execute(() -> {
            try (in) {
                byte[] buffer = new byte[CHUNK];
                int n;
                while (!q.isClosed() && (n = in.read(buffer)) >= 0) {
                    if (n > 0) {
                        q.put(java.util.Arrays.copyOf(buffer, n));
                    }
                }
                q.end(null);
            } catch (IOException | InterruptedException e) {
                q.end(e);
            }
        });
        return q;
    }

    /** The lines of {@code in} as UTF-8 text without their line ends, read on {@code executor}. */
    static ReadQueue<String> lines(InputStream in, Executor executor) {
        ReadQueue<String> q = new ReadQueue<>(256);
        executor.execute(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while (!q.isClosed() && (line = r.readLine()) != null) {
                    q.put(line);
                }
                q.end(null);
            } catch (IOException | InterruptedException e) {
                q.end(e);
            }
        });
        return q;
    }

    /** Hands an item over, waiting while {@code capacity} items wait already; dropped once closed. */
    void put(T item) throws InterruptedException {
        CompletableFuture<T> w;
        synchronized (this) {
            while (items.size() >= capacity && !closed) {
                wait();
            }
            if (closed) {
                return;
            }
            w = waiting;
            waiting = null;
            if (w == null) {
                items.add(item);
                return;
            }
        }
        w.complete(item);
    }

    /** The source has ended, with {@code error} if it failed. */
    void end(Throwable error) {
        CompletableFuture<T> w;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            failure = closed ? null : error;
            w = waiting;
            waiting = null;
        }
        if (w != null) {
            if (failure != null) {
                w.completeExceptionally(failure);
            } else {
                w.complete(null);
            }
        }
    }

    /** The next item, or {@code null} once the source has ended; fails if the source failed. One read at a time. */
    synchronized CompletableFuture<T> next() {
        T item = items.poll();
        if (item != null) {
            notifyAll();
            return CompletableFuture.completedFuture(item);
        }
        if (ended || closed) {
            return failure != null ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(null);
        }
        if (waiting != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("a read is already waiting"));
        }
        waiting = new CompletableFuture<>();
        return waiting;
    }

    /** The reader no longer wants items: what waits is dropped and the reader thread stops at its next item. */
    void close() {
        CompletableFuture<T> w;
        synchronized (this) {
            closed = true;
            items.clear();
            notifyAll();
            w = waiting;
            waiting = null;
        }
        if (w != null) {
            w.complete(null);
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
