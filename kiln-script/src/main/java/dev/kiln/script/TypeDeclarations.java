package dev.kiln.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .d.ts} declarations of the {@code runtime:} modules, written into an app
 * so that an editor type-checks it.
 *
 * <p>Writes {@code types/runtime.d.ts} and {@code types/page.d.ts} (for the pages' {@code window.runtime};
 * always, so they follow the installed Kiln) and, when the app
 * has none, a {@code tsconfig.json} that includes {@code src} and {@code types}. Stateless.
 */
public final class TypeDeclarations {
    /** Where the declarations go inside an app folder. */
    public static final String FILE = "types/runtime.d.ts";
    /** Where the declarations of the pages' {@code window.runtime} go inside an app folder. */
    public static final String PAGE_FILE = "types/page.d.ts";

    static final String TSCONFIG = """
            {
              "compilerOptions": {
                "target": "ES2022",
                "module": "ESNext",
                "moduleResolution": "Bundler",
                "lib": ["ES2022"],
                "strict": true,
                "noEmit": true,
                "allowImportingTsExtensions": true,
                "skipLibCheck": true
              },
              "include": ["src", "types"]
            }
            """;

    private static final String EACH_MODULE = "// @each-module";
    private static final Pattern MODULE = Pattern.compile("^declare module \"runtime:([a-z_]+)\" \\{", Pattern.MULTILINE);

    private TypeDeclarations() {
    }

    /** The declarations of the runtime: modules as text. */
    public static String text() {
        StringBuilder text = new StringBuilder(resource("runtime.d.ts"));
        for (String module : ResourceFolder.names("modules", ".d.ts")) { // one file per platform module
            text.append('\n').append(ResourceFolder.read("modules", module));
        }
        appendExtensibility(text);
        return text.toString();
    }

    /**
     * The extensibility API's declarations: once the shared part of extensibility.d.ts, then its
     * per-module part for each runtime: module declared above (each has its {@code Ops}), so that
     * the nine functions are written once, not in every module's file.
     */
    private static void appendExtensibility(StringBuilder text) {
        String shared = resource("extensibility.d.ts");
        int each = shared.indexOf(EACH_MODULE);
        if (each < 0) {
            throw new IllegalStateException("extensibility.d.ts has no " + EACH_MODULE + " line");
        }
        String perModule = shared.substring(shared.indexOf("declare module", each)); // without the comment
        List<String> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(text);
        while (m.find()) {
            modules.add(m.group(1));
        }
        text.append('\n').append(shared, 0, each);
        for (String module : modules) {
            text.append(perModule.replace("\"runtime:MODULE\"", "\"runtime:" + module + "\"")).append('\n');
        }
    }

    /** The declarations of the pages' {@code window.runtime} as text. */
    public static String pageText() {
        return resource("page.d.ts");
    }

    private static String resource(String name) {
        try (InputStream in = TypeDeclarations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the kiln-script jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the declarations into an app folder.
     *
     * @return the files written
     * @throws AppError when the folder does not exist or cannot be written
     */
    public static List<Path> write(Path appDir) {
        if (!Files.isDirectory(appDir)) {
            throw new AppError(AppError.CONFIG, "No app folder at " + appDir);
        }
        List<Path> written = new ArrayList<>();
        try {
            Path dts = appDir.resolve(FILE);
            Files.createDirectories(dts.getParent());
            Files.writeString(dts, text());
            written.add(dts);
            Path page = appDir.resolve(PAGE_FILE);
            Files.writeString(page, pageText());
            written.add(page);
            Path tsconfig = appDir.resolve("tsconfig.json");
            if (!Files.exists(tsconfig)) {
                Files.writeString(tsconfig, TSCONFIG);
                written.add(tsconfig);
            }
        } catch (IOException e) {
            throw new AppError(AppError.CONFIG, "Cannot write the type declarations into " + appDir + ": " + e.getMessage(), e);
        }
        return written;
    }
}
