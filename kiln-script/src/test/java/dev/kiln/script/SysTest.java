package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** runtime:sys in real V8: its values cross-checked against the JVM and the OS, and its permission checks. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SysTest {
    @TempDir
    Path dir;

    private static final String ALLOWED = ScriptFixture.MANIFEST + """

            [permissions.sys]
            clipboard = true
            notify = true
            power = true

            [permissions.sys.env]
            read = ["HOME", "KILN_*"]
            write = ["KILN_*", "PATH", "DBUS_SESSION_BUS_ADDRESS"]

            [permissions.process]
            allow = ["sh"]
            """;

    private ScriptFixture.Result run(String manifest, String script) {
        return new ScriptFixture(dir).write("manifest.app.toml", manifest).run(script);
    }

    @Test
    void infoMatchesTheJvmAndTheOs() throws Exception {
        var r = run(ALLOWED, """
                import { info } from "runtime:sys";
                console.log(JSON.stringify(info()));
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode info = Json.read(r.out().trim());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        assertThat(info.path("os").asText()).isEqualTo(System.getProperty("os.name").toLowerCase().startsWith("linux") ? "linux"
                : info.path("os").asText());
        assertThat(info.path("arch").asText()).isEqualTo(System.getProperty("os.arch").equals("amd64") ? "x86_64"
                : System.getProperty("os.arch"));
        assertThat(info.path("cpuCount").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(info.path("memory").path("total").asLong()).isEqualTo(os.getTotalMemorySize());
        assertThat(info.path("memory").path("free").asLong()).isPositive().isLessThanOrEqualTo(os.getTotalMemorySize());
        Path kernelName = Path.of("/proc/sys/kernel/hostname");
        if (Files.isReadable(kernelName)) {
            assertThat(info.path("hostname").asText()).isEqualTo(Files.readString(kernelName).trim());
        }
        assertThat(info.path("osVersion").asText()).isEqualTo(System.getProperty("os.version"));
    }

    @Test
    void foldersAndEnvironmentWithinThePermissions() {
        var r = run(ALLOWED, """
                import { homeDir, tempDir, cwd, getEnv, setEnv, deleteEnv, getAllEnv, appPaths, locale } from "runtime:sys";
                import { spawn } from "runtime:process";
                console.log(homeDir());
                console.log(tempDir());
                console.log(cwd());
                console.log(getEnv("HOME"), getEnv("KILN_UNSET_VAR"));
                setEnv("KILN_GREETING", "hi there");
                console.log(getEnv("KILN_GREETING"), Object.keys(getAllEnv()).sort().join(","));
                const sh = await spawn("sh", { args: ["-c", "echo $KILN_GREETING"] });
                for await (const l of sh.stdout) console.log("child", l);
                await sh.wait();
                deleteEnv("KILN_GREETING");
                console.log(getEnv("KILN_GREETING"));
                for (const f of [() => getEnv("PATH"), () => setEnv("HOME", "/x"), () => getEnv("")]) {
                  try { f(); console.log("allowed"); } catch (e) { console.log(e.code, e.message); }
                }
                console.log(appPaths().home === homeDir(), typeof locale().language);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        var lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo(System.getProperty("user.home"));
        assertThat(lines.get(1)).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")).toString());
        assertThat(lines.get(2)).isEqualTo(Path.of("").toAbsolutePath().toString());
        assertThat(lines.get(3)).isEqualTo(System.getenv("HOME") + " null");
        assertThat(lines.get(4)).startsWith("hi there ").contains("HOME").contains("KILN_GREETING").doesNotContain("PATH");
        assertThat(lines.subList(5, 7)).containsExactly("child hi there", "null");
        assertThat(lines.get(7)).startsWith("7020 [7020] ").contains("PATH").contains("[permissions.sys.env] read");
        assertThat(lines.get(8)).startsWith("7020 [7020] ").contains("HOME").contains("[permissions.sys.env] write");
        assertThat(lines.get(9)).startsWith("undefined getEnv() needs an environment variable name");
        assertThat(lines.get(10)).isEqualTo("true string");
    }

    @Test
    void clipboardRoundTripsThroughTheSystemClipboard() {
        var r = run(ALLOWED, """
                import { clipboard } from "runtime:sys";
                const text = "kiln clipboard " + Date.now() + " ✓";
                await clipboard.write(text);
                console.log((await clipboard.read()) === text);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("true");
    }

    @Test
    void withoutPermissionsClipboardNotifyAndPowerAreRefused() {
        var r = run(ScriptFixture.MANIFEST, """
                import { clipboard, notify, powerInfo } from "runtime:sys";
                for (const f of [() => clipboard.read(), () => clipboard.write("x"), () => notify("t", "b"), () => powerInfo()]) {
                  try { await f(); console.log("allowed"); } catch (e) { console.log(e.code, e.message); }
                }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(4).allSatisfy(l -> assertThat(l).startsWith("7020 [7020] "));
        assertThat(r.out().lines().toList().get(0)).contains("set clipboard = true in [permissions.sys]");
        assertThat(r.out().lines().toList().get(2)).contains("set notify = true in [permissions.sys]");
        assertThat(r.out().lines().toList().get(3)).contains("set power = true in [permissions.sys]");
    }

    @Test
    void notifyRunsTheNotificationServiceAndSaysWhenThereIsNone() throws Exception {
        // A notify-send that records its arguments, to show what Kiln asks the service for.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path args = dir.resolve("args.txt");
        Path script = bin.resolve("notify-send");
        Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\" >> '" + args + "'; done\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path failing = Files.createDirectories(dir.resolve("failing"));
        Files.writeString(failing.resolve("notify-send"), "#!/bin/sh\necho 'no service here' >&2\nexit 1\n");
        Files.setPosixFilePermissions(failing.resolve("notify-send"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        var r = run(ALLOWED, """
                import { notify, notifyExt, setEnv } from "runtime:sys";
                setEnv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/kiln-test-bus");
                setEnv("PATH", "%s");
                await notify("Hello", "from Kiln");
                await notifyExt({ title: "Second", icon: "dialog-information" });
                console.log("shown");
                for (const path of ["%s", "%s"]) {
                  setEnv("PATH", path);
                  try { await notify("T"); console.log("shown"); } catch (e) { console.log(e.code, e.message); }
                }
                """.formatted(bin, failing, empty));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("shown",
                "7031 [7031] Cannot show the notification 'T': notify-send failed (exit 1: no service here)",
                "7031 [7031] Cannot show the notification 'T': no notification service (neither notify-send nor gdbus is on the PATH)");
        assertThat(Files.readAllLines(args)).containsExactly("--app-name=Test", "--", "Hello", "from Kiln",
                "--app-name=Test", "--icon=dialog-information", "--", "Second");
    }

    @Test
    void powerInfoReadsWhatLinuxTells() throws Exception {
        Path supplies = Files.createDirectories(dir.resolve("power_supply"));
        assertThat(SysOps.power(supplies)).containsEntry("state", "unknown").containsEntry("percentage", null)
                .containsEntry("timeToFull", null).containsEntry("timeToEmpty", null)
                .containsEntry("has_battery", false).containsEntry("ac_connected", false)
                .containsEntry("batteries", List.of());
        Path ac = Files.createDirectories(supplies.resolve("AC"));
        Files.writeString(ac.resolve("type"), "Mains\n");
        Files.writeString(ac.resolve("online"), "1\n");
        assertThat(SysOps.power(supplies)).containsEntry("state", "noBattery").containsEntry("ac_connected", true)
                .containsEntry("has_battery", false);
        Path bat = Files.createDirectories(supplies.resolve("BAT0"));
        Files.writeString(bat.resolve("type"), "Battery\n");
        Files.writeString(bat.resolve("status"), "Discharging\n");
        Files.writeString(bat.resolve("capacity"), "57\n");
        Files.writeString(bat.resolve("energy_now"), "28500000\n");
        Files.writeString(bat.resolve("energy_full"), "50000000\n");
        Files.writeString(bat.resolve("power_now"), "9500000\n");
        var p = SysOps.power(supplies);
        assertThat(p.get("state")).isEqualTo("discharging");
        assertThat(p.get("percentage")).isEqualTo(57.0);
        assertThat(p.get("timeToEmpty")).isEqualTo(10800L); // 28.5 Wh at 9.5 W: 3 hours
        assertThat(p.get("timeToFull")).isNull();
        assertThat(p).containsEntry("has_battery", true).containsEntry("ac_connected", true);
        List<?> batteries = (List<?>) p.get("batteries");
        assertThat(batteries).hasSize(1);
        @SuppressWarnings("unchecked") Map<String, Object> first = (Map<String, Object>) batteries.get(0);
        assertThat(first).containsEntry("charge_percent", 57.0).containsEntry("state", "discharging")
                .containsEntry("time_to_empty_secs", 10800L).containsEntry("time_to_full_secs", null);
        Files.writeString(bat.resolve("status"), "Charging\n");
        assertThat(SysOps.power(supplies).get("timeToFull")).isEqualTo(8147L); // 21.5 Wh at 9.5 W
    }

    @Test
    void powerInfoInTheScriptIsWhatThisMachineTells() {
        var r = run(ALLOWED, """
                import { powerInfo } from "runtime:sys";
                console.log(JSON.stringify(await powerInfo()));
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode fromScript = Json.read(r.out().trim());
        assertThat(fromScript).isEqualTo(Json.MAPPER.valueToTree(SysOps.power(Path.of("/sys/class/power_supply"))));
    }
}
