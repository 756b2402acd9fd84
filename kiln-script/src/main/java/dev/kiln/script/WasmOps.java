package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The one runtime:wasm operation that needs Java: reading a module's file for {@code compileFile}.
 * V8's own WebAssembly compiles and runs modules (the bootstrap's 079-wasm.js).
 *
 * <p>Threading: the op runs on the loop thread and reads on the I/O executor.
 */
final class WasmOps {
    private final JavaPromises promises;
    private final ExecutorService io;
    private final Path appDir;
    private final Consumer<Path> readCheck;

    /** @param readCheck throws the coded refusal when the manifest does not let the app read the file */
    WasmOps(JavaPromises promises, ExecutorService io, Path appDir, Consumer<Path> readCheck) {
        this.promises = promises;
        this.io = io;
        this.appDir = appDir;
        this.readCheck = readCheck;
    }

    /** The bytes of the file at {@code path} (relative paths from the app's folder), as binary. */
    @V8Function(name = ScriptProtocol.OP_WASM_READ_FILE)
    public void wasmReadFile(int promiseId, String path) {
        Path file = appDir.resolve(path).toAbsolutePath().normalize();
        readCheck.accept(file);
        promises.settleLater(promiseId, CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new KilnException(ErrorCode.WASM_FAILED, "compileFile(): no file " + file);
            } catch (IOException e) {
                throw new KilnException(ErrorCode.WASM_FAILED, "compileFile(): cannot read " + file + ": " + e.getMessage(), e);
            }
        }, io), Json::binary, false);
    }
}
