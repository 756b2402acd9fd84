package dev.kiln.script;

import com.caoccao.javet.interop.V8Runtime;
import java.util.concurrent.CompletableFuture;

/** What a leak test watches in a running app: V8's heap after a full collection, open handles, open subscriptions. */
record V8Footprint(long v8HeapBytes, int v8Handles, int openSubscriptions) {
    /** Taken on the app's loop thread between tasks; any thread may ask. */
    static CompletableFuture<V8Footprint> of(ScriptRuntime runtime) {
        CompletableFuture<V8Footprint> f = new CompletableFuture<>();
        runtime.loop().execute(() -> {
            V8Runtime v8 = runtime.v8();
            v8.lowMemoryNotification();
            long heap = v8.getV8HeapStatistics().join().getUsedHeapSize();
            f.complete(new V8Footprint(heap, v8.getReferenceCount() + v8.getCallbackContextCount(),
                    runtime.openSubscriptions()));
        });
        return f;
    }
}
