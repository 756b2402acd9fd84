package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryTable() throws Exception {
        Files.writeString(dir.resolve(AppManifest.FILE_NAME), """
                [app]
                name = "Demo"
                identifier = "dev.kiln.demo"
                version = "1.2.3"

                [windows]
                width = 1024
                height = 700
                resizable = false

                [capabilities.channels]
                allowed = ["ui:*", "ping"]
                denied = ["ui:secret"]
                """);
        AppManifest m = AppManifest.load(dir);
        assertThat(m.name()).isEqualTo("Demo");
        assertThat(m.identifier()).isEqualTo("dev.kiln.demo");
        assertThat(m.version()).isEqualTo("1.2.3");
        assertThat(m.windows()).isEqualTo(new AppManifest.WindowDefaults(1024, 700, false));
        assertThat(m.channels().allowed()).containsExactly("ui:*", "ping");
        assertThat(m.channels().permits("ui:open")).isTrue();
        assertThat(m.channels().permits("ui:secret")).isFalse();
        assertThat(m.channels().permits("other")).isFalse();
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void withoutChannelsEverythingIsAllowedAndTheAppIsWarned() throws Exception {
        Files.writeString(dir.resolve(AppManifest.FILE_NAME), """
                [app]
                name = "Open"
                identifier = "dev.kiln.open"
                version = "0.1.0"
                [extra]
                x = 1
                """);
        AppManifest m = AppManifest.load(dir);
        assertThat(m.channels()).isNull();
        assertThat(m.effectivePolicy().permits("anything")).isTrue();
        assertThat(m.windows()).isEqualTo(AppManifest.WindowDefaults.STANDARD);
        assertThat(m.warnings()).containsExactly("manifest.app.toml: unknown table [extra] is ignored");

        String open = Files.readString(dir.resolve(AppManifest.FILE_NAME));
        var fixture = new ScriptFixture(dir);
        fixture.write(AppManifest.FILE_NAME, open);
        var r = fixture.run("console.log('ran');");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err().lines()).contains(
                "warning: manifest.app.toml has no [capabilities.channels] section: every channel is allowed");
    }

    @Test
    void allowedDefaultsToEverythingWhenOnlyDeniedIsGiven() throws Exception {
        Files.writeString(dir.resolve(AppManifest.FILE_NAME), """
                [app]
                name = "D"
                identifier = "d"
                version = "0"
                [capabilities.channels]
                denied = ["admin:*"]
                """);
        AppManifest m = AppManifest.load(dir);
        assertThat(m.channels().allowed()).isEqualTo(List.of("*"));
        assertThat(m.channels().permits("admin:reset")).isFalse();
        assertThat(m.channels().permits("hello")).isTrue();
    }
}
