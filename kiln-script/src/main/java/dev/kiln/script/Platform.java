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
 * @param io          worker threads for blocking work (daemon threads, shut down with the runtime)
 * @param bytes       hands byte arrays to the script (see {@link BytesOps})
 * @param err         the app's stderr
 * @param exitApp     ends the app now with an exit code (runtime:app exit, Deno.exit); loop thread
 */
record Platform(Permissions permissions, AppManifest manifest, EventLoop loop, JavaPromises promises,
                ExecutorService io, BytesOps bytes, PrintStream err, IntConsumer exitApp) {

    AppFolders folders() {
        return permissions.folders();
    }

    /**
     * Runs {@code work} on a worker and settles promise {@code promiseId} on the loop with its result
     * as JSON text ({@code toJson}), or with its exception's Kiln code. The promise keeps the app alive.
     */
    <T> void async(int promiseId, Callable<T> work, Function<T, String> toJson) {
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
        promises.settleLater(promiseId, future, toJson, false);
    }

    /** {@link #async} for work with no result. */
    void async(int promiseId, Callable<?> work) {
        async(promiseId, work, v -> null);
    }
}
