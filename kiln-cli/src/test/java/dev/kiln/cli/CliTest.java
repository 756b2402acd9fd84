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
    void runRefusesADevUrlThatIsNotHttp() throws Exception {
        Files.writeString(dir.resolve("manifest.app.toml"), "[app]\nname = \"d\"\nidentifier = \"dev.kiln.d\"\nversion = \"1\"\n");
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/main.ts"), "console.log(1);\n");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        int code;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            code = new CommandLine(new Main()).execute("run", "--dev-url", "file:///tmp/x", dir.toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("error: --dev-url: A dev server URL must be an http(s) URL such as http://localhost:5173, got: file:///tmp/x");
        assertThat(run("run", "--help")).contains("--dev-url=URL", "dev server");
    }

    @Test
    void typesWritesDeclarationsAndATsconfig() throws Exception {
        int code = new CommandLine(new Main()).execute("types", dir.toString());
        assertThat(code).isZero();
        String dts = Files.readString(dir.resolve(TypeDeclarations.FILE));
        assertThat(dts).contains("declare module \"runtime:ipc\"", "declare module \"runtime:window\"",
                "export function sendToWindow(windowId: string, channel: string, payload?: unknown): Promise<void>;",
                "export function recvWindowEvent(): Promise<IpcEvent | null>;",
                "export function createWindow(options?: WindowOptions): Promise<AppWindow>;",
                "export function invokeWindow(windowId: string, channel: string, payload?: unknown,",
                "export function handle(channel: string,", "export class IpcError extends Error {");
        assertThat(Files.readString(dir.resolve(TypeDeclarations.PAGE_FILE))).contains("interface Window {",
                "invoke(channel: string, payload?: unknown, options?: { timeout?: number; signal?: AbortSignal }): Promise<any>;",
                "handle(channel: string, handler: (payload: any, ctx: KilnPageCallContext) => unknown | Promise<unknown>): () => void;");
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
