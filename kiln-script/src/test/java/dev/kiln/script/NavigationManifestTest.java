package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest's {@code [navigation] allowed} origins. */
class NavigationManifestTest {
    private static final String APP = "[app]\nname = \"N\"\nidentifier = \"dev.kiln.n\"\nversion = \"1\"\n";

    @TempDir
    Path dir;

    private AppManifest load(String more) throws Exception {
        Files.writeString(dir.resolve(AppManifest.FILE_NAME), APP + more);
        return AppManifest.load(dir);
    }

    @Test
    void allowedOriginsAreReadAndNormalized() throws Exception {
        AppManifest m = load("[navigation]\nallowed = [\"https://Example.com\", \"http://127.0.0.1:8080/\"]\n");
        assertThat(m.allowedOrigins()).containsExactly("https://example.com", "http://127.0.0.1:8080");
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void withoutTheTableNothingIsAllowed() throws Exception {
        assertThat(load("").allowedOrigins()).isEmpty();
    }

    @Test
    void somethingThatIsNotAnOriginIsAConfigError() {
        assertThatThrownBy(() -> load("[navigation]\nallowed = [\"https://example.com/docs\"]\n"))
                .isInstanceOf(AppError.class)
                .hasMessageStartingWith("manifest.app.toml: [navigation] allowed: Not an origin: 'https://example.com/docs'")
                .satisfies(e -> assertThat(((AppError) e).exitCode()).isEqualTo(AppError.CONFIG));
        assertThatThrownBy(() -> load("[navigation]\nallowed = \"https://example.com\"\n"))
                .isInstanceOf(AppError.class).hasMessageContaining("must be a list of origins");
        assertThatThrownBy(() -> load("[navigation]\nallowed = [\"file:///etc\"]\n"))
                .isInstanceOf(AppError.class).hasMessageContaining("Not an origin");
    }
}
