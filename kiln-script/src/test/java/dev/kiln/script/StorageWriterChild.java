package dev.kiln.script;

import java.nio.file.Path;

/**
 * A separate JVM for {@link StorageTest}'s crash test: runs the app folder given as the argument with
 * the real script host (windows in memory), its console going straight to stdout, until it is killed.
 */
final class StorageWriterChild {
    private StorageWriterChild() {
    }

    public static void main(String[] args) {
        ScriptApp app = ScriptApp.load(Path.of(args[0]));
        int code = app.run(MemoryWindows::new, System.out, System.err);
        System.exit(code);
    }
}
