package dev.kiln.script;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * What the platform modules' ops (runtime:fs, runtime:storage, ...) share: the app's permissions and
 * folders, the loop, and a worker pool for blocking work.
 *
 * <p>The rule for every platform op: check arguments on the loop, then do the blocking part (disk,
 * network, processes, and the permission checks, which read the disk) on {@link #io}, and settle the
 * promise back on the loop ({@link #async}). The loop never waits on a worker.
 *
 * <p>Threading: {@link #async} and {@link #exitApp} on the loop thread; the rest any thread.
 *
 * @param permissions the manifest's permissions for this app
 * @param manifest    the app's manifest
 * @param loop        the script's event loop
 * @param promises    settles the script's promises
 * @param io          worker threads for blocking work ({@link #workers}; shut down with the runtime)
 * @param bytes       hands byte arrays to the script (see {@link BytesOps})
 * @param err         the app's stderr
 * @param exitApp     ends the app now with an exit code (runtime:app exit, Deno.exit); loop thread
 * @param quitApp     ends the app gracefully, as Ctrl-C does: windows close, the script winds down
 * @param relaunchApp ends the app as {@code quitApp} does, then has it run again from its main script
 * @param ended       completes when the windows have shut down (the app is ending): what waits for
 *                    events (a file watcher) ends then, as event streams do
 */
record Platform(Permissions permissions, AppManifest manifest, EventLoop loop, JavaPromises promises,
                ExecutorService io, BytesOps bytes, PrintStream err, IntConsumer exitApp, Runnable quitApp,
                Runnable relaunchApp, CompletableFuture<?> ended) {

    /** At most this many blocking operations run at once; the others wait in order. */
    static final int MAX_WORKERS = 32;

    /**
     * The pool for {@link #io}: up to {@link #MAX_WORKERS} daemon threads (idle ones end after a
     * minute), so that a script starting thousands of reads at once does not start thousands of
     * threads. Work that waits without end (a child process's exit, a socket) must not sit here.
     */
    static ExecutorService workers() {
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(MAX_WORKERS, MAX_WORKERS,
                60, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "kiln-io");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    AppFolders folders() {
        return permissions.folders();
    }

    /**
     * Runs {@code work} on a worker and settles promise {@code promiseId} on the loop with its result
     * as JSON text ({@code toJson}), or with its exception's Kiln code. The promise keeps the app alive.
     */
    <T> void async(int promiseId, Callable<T> work, Function<T, String> toJson) {
        promises.settleLater(promiseId, onWorker(work), toJson, false);
    }

    /** Runs {@code work} on a worker; its exceptions become Kiln errors ({@link IoErrors}). */
    <T> CompletableFuture<T> onWorker(Callable<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            io.execute(() -> {
                try {
                    future.complete(work.call());
                } catch (Throwable e) {
                    future.completeExceptionally(IoErrors.coded(e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            future.completeExceptionally(new dev.kiln.ipc.KilnException(dev.kiln.ipc.ErrorCode.CHANNEL_SEND, "The runtime has shut down"));
        }
        return future;
    }

    /**
     * Settles promise {@code promiseId} with {@code event} once it completes, as a wait for an event:
     * it keeps the app alive only while windows are open (see {@link ExitPolicy}).
     */
    <T> void whenEvent(int promiseId, CompletableFuture<T> event, Function<T, String> toJson) {
        promises.settleLater(promiseId, event, toJson, true);
    }

    /** {@link #async} with the result handed over by {@link BytesOps} (a {@code byte[]} or a {@code String}). */
    void asyncParked(int promiseId, Callable<Object> work) {
        async(promiseId, () -> bytes.park(work.call()), ticket -> Integer.toString(ticket));
    }

    /** {@link #async} for work with no result. */
    void async(int promiseId, Callable<?> work) {
        async(promiseId, work, v -> null);
    }
}
