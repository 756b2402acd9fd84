package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.script.TypeDeclarations;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The picocli commands in-process: help texts and {@code kiln types}. */
class CliTest {
    @TempDir
    Path dir;

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        cli.execute(args);
        return out.toString();
    }

    @Test
    void helpListsTheCommands() {
        String help = run("--help");
        assertThat(help).contains("Usage: kiln", "run", "types", "kiln test", "kiln bench");
    }

    @Test
    void runHelpDocumentsHeadlessAndTheAutomationProtocol() {
        String help = run("run", "--help");
        assertThat(help).contains("<app-dir>", "--headless", "virtual display", "--automation",
                "wait-ready <window-id>", "eval <window-id> <javascript>", "click <window-id> <css-selector>",
                "screenshot <window-id> <file.png>", "kiln-automation: ", "Ctrl-C");
    }

    @Test
    void typesWritesDeclarationsAndATsconfig() throws Exception {
        int code = new CommandLine(new Main()).execute("types", dir.toString());
        assertThat(code).isZero();
        String dts = Files.readString(dir.resolve(TypeDeclarations.FILE));
        assertThat(dts).contains("declare module \"runtime:ipc\"", "declare module \"runtime:window\"",
                "export function sendToWindow(windowId: string, channel: string, payload?: unknown): Promise<void>;",
                "export function recvWindowEvent(): Promise<IpcEvent | null>;",
                "export function createWindow(options?: WindowOptions): Promise<AppWindow>;");
        assertThat(Files.readString(dir.resolve("tsconfig.json"))).contains("\"include\": [\"src\", \"types\"]");

        Files.writeString(dir.resolve("tsconfig.json"), "{ \"mine\": true }");
        assertThat(new CommandLine(new Main()).execute("types", dir.toString())).isZero();
        assertThat(Files.readString(dir.resolve("tsconfig.json"))).isEqualTo("{ \"mine\": true }");
    }

    @Test
    void typesIntoAMissingFolderFails() {
        assertThat(new CommandLine(new Main()).execute("types", dir.resolve("missing").toString())).isEqualTo(2);
    }
}
