package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kiln types} against the real TypeScript compiler: an app using every runtime: module
 * (fixture types-check) compiles with the declarations and tsconfig that {@code ./kiln types} writes,
 * in strict mode with the declarations themselves checked, and a wrong call is an error. Needs Node and
 * npm (CI installs them; TypeScript comes from the fixture's lock file into a temporary folder).
 */
@Tag("e2e")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TypesE2ETest {
    private static final Path FIXTURE = KilnProcess.ROOT.resolve("kiln-cli/src/test/fixtures/types-check");

    @TempDir
    Path app;
    @TempDir
    Path tools;

    @Test
    void anAppUsingEveryModuleCompilesStrictlyAndAWrongCallDoesNot() throws Exception {
        Files.copy(FIXTURE.resolve("manifest.app.toml"), app.resolve("manifest.app.toml"));
        Files.createDirectories(app.resolve("src"));
        Files.copy(FIXTURE.resolve("src/main.ts"), app.resolve("src/main.ts"));
        Files.copy(FIXTURE.resolve("tools/package.json"), tools.resolve("package.json"));
        Files.copy(FIXTURE.resolve("tools/package-lock.json"), tools.resolve("package-lock.json"));
        assertThat(run(tools, Duration.ofMinutes(3), "npm", "ci", "--no-audit", "--no-fund")).isEqualTo(0);

        try (KilnProcess kiln = KilnProcess.launch("types", app.toString())) {
            assertThat(kiln.awaitExit(Duration.ofSeconds(120))).as("err: %s", kiln.err).isZero();
        }
        assertThat(app.resolve("types/runtime.d.ts")).exists();
        assertThat(app.resolve("tsconfig.json")).exists();

        assertThat(tsc()).as(Files.readString(tools.resolve("out.log"))).isZero();

        Files.writeString(app.resolve("src/broken.ts"), """
                import { readTextFile } from "runtime:fs";
                await readTextFile(42);
                """);
        assertThat(tsc()).isNotZero();
        assertThat(Files.readString(tools.resolve("out.log"))).contains("src/broken.ts(2,20): error TS2345");
    }

    /** tsc over the app with its tsconfig.json, the declaration files checked too; its exit code. */
    private int tsc() throws Exception {
        return run(tools, Duration.ofMinutes(2), "node", tools.resolve("node_modules/typescript/bin/tsc").toString(),
                "-p", app.toString(), "--skipLibCheck", "false", "--pretty", "false");
    }

    private int run(Path dir, Duration timeout, String... command) throws Exception {
        return NodeTool.run(dir, tools.resolve("out.log"), timeout, command);
    }
}
