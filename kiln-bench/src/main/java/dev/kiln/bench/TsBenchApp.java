package dev.kiln.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the TypeScript host's bench app folder ({@code manifest.app.toml}, {@code src/main.ts},
 * {@code web/}) with the plan's sizes filled in: an ordinary Kiln app, runnable with
 * {@code ./kiln run <dir>} as well.
 */
final class TsBenchApp {
    private TsBenchApp() {
    }

    static Path write(Plan plan, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("manifest.app.toml"), resource("ts-app/manifest.app.toml"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode p = json.valueToTree(plan);
        String literal = json.writeValueAsString(json.writeValueAsString(p)); // a JS string literal of the JSON
        Files.writeString(dir.resolve("src/main.ts"), resource("ts-app/main.ts").replace("\"@PLAN@\"", literal));
        WebAssets.copyTo(dir.resolve("web"));
        if (plan.binaryBytes() > 0) {
            BinaryScenarios.writeCeilingFiles(plan, dir.resolve("web"));
        }
        return dir;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TsBenchApp.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("Missing bench resource dev/kiln/bench/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
