package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                title = "Demo window"
                decorations = false
                minWidth = 300
                minHeight = 200

                [capabilities.channels]
                allowed = ["ui:*", "ping"]
                denied = ["ui:secret"]
                """);
        AppManifest m = AppManifest.load(dir);
        assertThat(m.name()).isEqualTo("Demo");
        assertThat(m.identifier()).isEqualTo("dev.kiln.demo");
        assertThat(m.version()).isEqualTo("1.2.3");
        assertThat(m.windows()).isEqualTo(new AppManifest.WindowDefaults(1024, 700, false, "Demo window", false, 300, 200));
        assertThat(m.channels().allowed()).containsExactly("ui:*", "ping");
        assertThat(m.channels().permits("ui:open")).isTrue();
        assertThat(m.channels().permits("ui:secret")).isFalse();
        assertThat(m.channels().permits("other")).isFalse();
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void forgeWindowKeysMustHaveTheirTypes() throws Exception {
        String app = "[app]\nname = \"W\"\nidentifier = \"w\"\nversion = \"0\"\n[windows]\n";
        Files.writeString(dir.resolve(AppManifest.FILE_NAME), app + "title = 5\n");
        assertThatThrownBy(() -> AppManifest.load(dir)).isInstanceOf(AppError.class)
                .hasMessageContaining("[windows] title must be a string, got 5");
        Files.writeString(dir.resolve(AppManifest.FILE_NAME), app + "minWidth = 0\n");
        assertThatThrownBy(() -> AppManifest.load(dir)).isInstanceOf(AppError.class)
                .hasMessageContaining("[windows] minWidth must be a positive integer, got 0");
        Files.writeString(dir.resolve(AppManifest.FILE_NAME), app + "decorations = \"no\"\n");
        assertThatThrownBy(() -> AppManifest.load(dir)).isInstanceOf(AppError.class)
                .hasMessageContaining("[windows] decorations must be true or false, got \"no\"");
        Files.writeString(dir.resolve(AppManifest.FILE_NAME), app + "minHeight = 240\n");
        assertThat(AppManifest.load(dir).windows())
                .isEqualTo(new AppManifest.WindowDefaults(800, 600, true, "", true, null, 240));
    }

    @Test
    void manifestWindowDefaultsFillTheOptionsTheScriptLeavesOut() {
        var defaults = new AppManifest.WindowDefaults(640, 400, false, "Manifest", false, 500, 350);
        // options() reads only the defaults: no windows or promises are involved
        var ops = new WindowOps(null, null, defaults, System.err);
        var fromManifest = ops.options(Json.read("{}"));
        assertThat(List.of(fromManifest.title(), fromManifest.decorations(), fromManifest.minWidth(),
                fromManifest.minHeight(), fromManifest.width(), fromManifest.resizable()))
                .containsExactly("Manifest", false, 500, 350, 640, false);
        var own = ops.options(Json.read("{\"title\":\"Own\",\"decorations\":true,\"minWidth\":120}"));
        assertThat(List.of(own.title(), own.decorations(), own.minWidth(), own.minHeight()))
                .containsExactly("Own", true, 120, 350);
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

    @Test
    void readsTheDevServerUrlAndRefusesBadOnes() throws Exception {
        String app = "[app]\nname = \"d\"\nidentifier = \"dev.kiln.dev\"\nversion = \"1\"\n";
        Files.writeString(dir.resolve(AppManifest.FILE_NAME), app + "[build]\ndevUrl = \"http://localhost:5173\"\n");
        AppManifest m = AppManifest.load(dir);
        assertThat(m.devUrl()).hasToString("http://localhost:5173");
        assertThat(m.warnings()).isEmpty();
        assertThat(m.withDevUrl(java.net.URI.create("http://127.0.0.1:3000/")).devUrl()).hasToString("http://127.0.0.1:3000/");
        assertThatThrownBy(() -> m.withDevUrl(java.net.URI.create("ftp://x/")))
                .isInstanceOf(AppError.class).hasMessageContaining("--dev-url: A dev server URL must be an http(s) URL");

        Files.writeString(dir.resolve(AppManifest.FILE_NAME), app + "[build]\ndevUrl = \"localhost:5173\"\n");
        assertThatThrownBy(() -> AppManifest.load(dir)).isInstanceOf(AppError.class)
                .hasMessageContaining("[build] devUrl: A dev server URL must be an http(s) URL such as http://localhost:5173, got: localhost:5173");
        Files.writeString(dir.resolve(AppManifest.FILE_NAME), app + "[build]\ndevUrl = 5173\n");
        assertThatThrownBy(() -> AppManifest.load(dir)).isInstanceOf(AppError.class).hasMessageContaining("[build] devUrl must be a string");
    }

    @Test
    void refusesAnIdentifierThatCannotNameAFolder() throws Exception {
        Files.writeString(dir.resolve(AppManifest.FILE_NAME), "[app]\nname = \"d\"\nidentifier = \"../evil\"\nversion = \"1\"\n");
        assertThatThrownBy(() -> AppManifest.load(dir)).isInstanceOf(AppError.class)
                .hasMessageContaining("[app] identifier: An app identifier must be");
    }
}
