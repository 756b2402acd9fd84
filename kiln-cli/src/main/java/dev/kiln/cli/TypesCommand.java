package dev.kiln.cli;

import dev.kiln.script.AppError;
import dev.kiln.script.TypeDeclarations;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kiln types}: writes the runtime: module declarations into an app. */
@Command(name = "types", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {
            "Writes the TypeScript declarations of runtime:ipc and runtime:window into <app-dir>:",
            "types/runtime.d.ts, plus a tsconfig.json including src and types when the app has none.",
            "An editor then type-checks the app's imports of runtime:ipc and runtime:window."})
final class TypesCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<app-dir>", description = "The app folder.")
    Path appDir;

    @Override
    public Integer call() {
        try {
            for (Path p : TypeDeclarations.write(appDir)) {
                System.out.println("wrote " + p);
            }
            return 0;
        } catch (AppError e) {
            System.err.println("error: " + e.getMessage());
            return e.exitCode();
        }
    }
}
