package dev.kiln.script;

import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.values.V8Value;

/** Closes V8 handles while the runtime ends, when a failure to close changes nothing. Stateless; call it on the loop thread that owns the handles. */
final class V8Closer {
    private V8Closer() {
    }

    static void closeQuietly(V8Value... values) {
        for (V8Value v : values) {
            if (v != null) {
                try {
                    v.close();
                } catch (JavetException e) {
                    // the runtime is ending anyway
                }
            }
        }
    }
}
