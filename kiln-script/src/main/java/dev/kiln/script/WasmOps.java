package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one runtime:wasm operation that needs Java: reading a module's file for {@code compileFile}.
 * V8's own WebAssembly compiles and runs modules (the bootstrap's 079-wasm.js).
 *
 * <p>Threading: the op runs on the loop thread; the check and the read on a worker ({@link Platform#async}).
 */
final class WasmOps {
    static final String OP_WASM_READ_FILE = "wasmReadFile";

    private final Platform platform;

    WasmOps(Platform platform) {
        this.platform = platform;
    }

    /**
     * The bytes of the module file at {@code path} (relative to the app folder, {@code ~/} to home),
     * which {@code [permissions.wasm] load} must allow; settles with a {@link BytesOps} ticket.
     */
    @V8Function(name = OP_WASM_READ_FILE)
    public void wasmReadFile(int promiseId, String path) {
        Path file = platform.permissions().resolve(path);
        platform.async(promiseId, () -> Files.readAllBytes(platform.permissions().checkWasm(file)), // the check reads the disk
                bytes -> Integer.toString(platform.bytes().park(bytes)));
    }
}
