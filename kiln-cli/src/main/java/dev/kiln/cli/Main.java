package dev.kiln.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kiln} command: runs TypeScript apps and writes their type declarations. */
@Command(name = "kiln", mixinStandardHelpOptions = true, version = "kiln 0.1.0", usageHelpWidth = 110,
        description = "Runs desktop apps whose logic is TypeScript in V8 and whose windows are WebViews.",
        subcommands = {RunCommand.class, TypesCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Also provided by the ./kiln launcher: kiln test (the test suite), kiln bench (benchmarks)."})
public final class Main {
    // JavaFX warns on every start that it was loaded from the class path, which Kiln does on purpose.
    // Held strongly: java.util.logging keeps loggers only weakly, and a collected one loses its level.
    private static final java.util.logging.Logger FX_LOG = java.util.logging.Logger.getLogger("javafx");
    // kiln run prints the pages' console lines itself (RunCommand), in one line each: not twice.
    private static final java.util.logging.Logger PAGE_LOG =
            java.util.logging.Logger.getLogger(dev.kiln.window.Desktop.PAGE_CONSOLE_LOGGER);

    public static void main(String[] args) {
        FX_LOG.setLevel(java.util.logging.Level.SEVERE);
        PAGE_LOG.setLevel(java.util.logging.Level.OFF);
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
