package dev.kiln.script;

import java.nio.file.Path;

/**
 * A separate JVM running the app folder given as the argument with the real script host (windows in
 * memory), its console going straight to stdout, until the app ends or is killed: another instance
 * of an app, for StorageTest's crash and AppModuleTest's single-instance lock.
 */
final class ScriptAppChild {
    private ScriptAppChild() {
    }

    public static void main(String[] args) {
        ScriptApp app = ScriptApp.load(Path.of(args[0]));
        int code = app.run(MemoryWindows::new, System.out, System.err);
        System.exit(code);
    }
}
