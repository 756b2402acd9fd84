package dev.kiln.script;

import com.caoccao.javet.exceptions.JavetCompilationException;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.exceptions.JavetScriptingError;
import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.interop.callback.IV8ModuleResolver;
import com.caoccao.javet.swc4j.utils.SourceMapUtils;
import com.caoccao.javet.values.reference.IV8Module;
import com.caoccao.javet.values.reference.V8Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, transpiles and compiles the app's ES modules, and serves the {@code runtime:} modules.
 *
 * <p>Specifiers: {@code runtime:<name>} for each module the bootstrap registered (see
 * {@code bootstrap/00-modules.js}), and relative paths ({@code ./x.ts},
 * {@code ../lib/y.js}) to files that exist. {@code .ts}/{@code .tsx}/{@code .mts} files are
 * transpiled; {@code .js}/{@code .mjs} files run as they are. Each file is compiled once, so every
 * importer shares one module instance. The first user error met while resolving is kept in
 * {@link #failure()}: V8 only sees a failed resolution.
 *
 * <p>Threading: used only by the script loop thread. Owns the compiled modules and closes them.
 */
final class ModuleLoader implements IV8ModuleResolver, AutoCloseable {
    /** Where the bootstrap publishes the runtime: modules' objects, by name. */
    private static final String INTERNAL = "globalThis[Symbol.for(\"kiln.internal\")]";

    private final Path appDir;
    private final TypeScriptCompiler compiler;
    private final Map<String, V8Module> modules = new HashMap<>();
    private final Map<String, String> sources = new HashMap<>();
    private final Map<String, SourceMapUtils> sourceMaps = new HashMap<>();
    private boolean inlineSourceMaps;
    private String pauseAtStartOf;
    private AppError failure;

    ModuleLoader(Path appDir, TypeScriptCompiler compiler) {
        this.appDir = appDir.toAbsolutePath().normalize();
        this.compiler = compiler;
    }

    /** The app's main module, compiled but not yet instantiated. */
    V8Module loadMain(V8Runtime runtime, Path file) throws JavetException {
        return load(runtime, file.toAbsolutePath().normalize());
    }

    /** Appends each TypeScript module's source map to its code, for a debugger; set before loading. */
    void inlineSourceMaps() {
        this.inlineSourceMaps = true;
    }

    /** Makes the main module stop a debugger on its first line ({@code --inspect-brk}); set before loading. */
    void pauseAtStartOf(Path mainScript) {
        this.pauseAtStartOf = mainScript.toAbsolutePath().normalize().toString();
    }

    @Override
    public IV8Module resolve(V8Runtime runtime, String specifier, IV8Module referrer) throws JavetException {
        if (failure != null) {
            return null;
        }
        String from = referrer == null ? null : referrer.getResourceName();
        try {
            if (specifier.startsWith("runtime:")) {
                return runtimeModule(runtime, specifier, from);
            }
            if (!(specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/"))) {
                throw importError(from, specifier, "Cannot import '" + specifier
                        + "': only runtime: modules (" + String.join(", ", runtimeModules(runtime))
                        + ") and relative paths such as './util.ts' can be imported");
            }
            Path base = from == null ? appDir : Path.of(from).getParent();
            Path file = base.resolve(specifier).normalize();
            if (!Files.isRegularFile(file)) {
                throw importError(from, specifier, "Cannot find module '" + specifier + "' (no file " + display(file.toString()) + ")");
            }
            return load(runtime, file);
        } catch (AppError e) {
            failure = e;
            return null;
        }
    }

    /** The first user error met while resolving imports, or {@code null}. */
    AppError failure() {
        return failure;
    }

    /** A path as the user knows it: relative to the app folder when inside it. */
    String display(String resourceName) {
        try {
            Path p = Path.of(resourceName);
            if (p.isAbsolute() && p.startsWith(appDir)) {
                return appDir.relativize(p).toString();
            }
        } catch (RuntimeException e) {
            // not a path, such as "kiln:bootstrap"
        }
        return resourceName;
    }

    /** A position in generated code mapped back to the source file, as {@code src/main.ts:12:5}. */
    String mapFrame(String resourceName, int line, int column) {
        SourceMapUtils map = sourceMaps.get(resourceName);
        if (map != null && line > 0) {
            try {
                var node = map.getNode(line - 1, Math.max(0, column - 1));
                if (node != null && node.originalPosition != null) {
                    return display(resourceName) + ":" + (node.originalPosition.line + 1) + ":"
                            + (node.originalPosition.column + 1);
                }
            } catch (RuntimeException e) {
                // fall through to the unmapped position
            }
        }
        return display(resourceName) + ":" + line + ":" + column;
    }

    private V8Module load(V8Runtime runtime, Path file) throws JavetException {
        String name = file.toString();
        V8Module cached = modules.get(name);
        if (cached != null) {
            return cached;
        }
        String source;
        try {
            source = Files.readString(file);
        } catch (IOException e) {
            throw new AppError(AppError.SCRIPT, "Cannot read " + display(name) + ": " + e.getMessage(), e);
        }
        sources.put(name, source);
        String code = source;
        String lower = name.toLowerCase();
        if (lower.endsWith(".ts") || lower.endsWith(".tsx") || lower.endsWith(".mts")) {
            TypeScriptCompiler.Output out = compiler.transpile(file, source, display(name));
            code = out.code();
            String sourceMap = out.sourceMap();
            if (name.equals(pauseAtStartOf)) {
                // --inspect-brk: a first line that stops, mapped to main.ts's first line. V8's "pause on
                // the next statement" waits for a call from the embedder, which evaluating a module is not.
                code = "debugger;\n" + code;
                sourceMap = sourceMap == null ? null : sourceMap.replaceFirst("\"mappings\":\"", "\"mappings\":\"AAAA;");
            }
            if (sourceMap != null && inlineSourceMaps) {
                // A debugger (--inspect) maps breakpoints and steps to the TypeScript source with it.
                code += "\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,"
                        + java.util.Base64.getEncoder().encodeToString(sourceMap.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (sourceMap != null) {
                try {
                    sourceMaps.put(name, SourceMapUtils.of(sourceMap));
                } catch (IllegalArgumentException e) {
                    // a file with no mappings (only imports, say): its lines are reported unmapped
                }
            }
        } else if (name.equals(pauseAtStartOf)) {
            code = "debugger; " + code; // on the first line, so that the lines stay the file's
        }
        V8Module module;
        try {
            module = runtime.getExecutor(code).setResourceName(name).setModule(true).compileV8Module();
        } catch (JavetCompilationException e) {
            JavetScriptingError err = e.getScriptingError();
            throw new AppError(AppError.SCRIPT, mapFrame(name, err.getLineNumber(), err.getStartColumn() + 1)
                    + ": SyntaxError: " + err.getMessage().replaceFirst("^SyntaxError: ", ""), e);
        }
        modules.put(name, module);
        return module;
    }

    private IV8Module runtimeModule(V8Runtime runtime, String specifier, String from) throws JavetException {
        V8Module cached = modules.get(specifier);
        if (cached != null) {
            return cached;
        }
        String api = specifier.substring("runtime:".length());
        List<String> known = runtimeModules(runtime);
        if (!known.contains(specifier)) {
            throw importError(from, specifier, "Unknown module '" + specifier + "': Kiln provides " + String.join(", ", known));
        }
        // The module exports what the bootstrap's object for it holds, so the two cannot drift apart.
        String object = INTERNAL + "." + api;
        String names = runtime.getExecutor("Object.keys(" + object + ").join(\", \")").executeString();
        String code = "export const { " + names + " } = " + object + ";\n";
        V8Module module = runtime.getExecutor(code).setResourceName("kiln:" + api).setModule(true).compileV8Module();
        modules.put(specifier, module);
        return module;
    }

    /** The runtime: modules the bootstrap registered, such as {@code runtime:fs}, sorted. */
    private static List<String> runtimeModules(V8Runtime runtime) throws JavetException {
        String names = runtime.getExecutor("Object.keys(" + INTERNAL + ").sort().join(\",\")").executeString();
        return java.util.Arrays.stream(names.split(",")).map(n -> "runtime:" + n).toList();
    }

    /** An import error pointing at the importing line, found by searching its source for the specifier. */
    private AppError importError(String from, String specifier, String message) {
        if (from == null) {
            return new AppError(AppError.SCRIPT, message);
        }
        String where = display(from);
        String source = sources.get(from);
        if (source != null) {
            List<String> lines = new ArrayList<>(source.lines().toList());
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (l.contains("\"" + specifier + "\"") || l.contains("'" + specifier + "'")) {
                    where += ":" + (i + 1);
                    break;
                }
            }
        }
        return new AppError(AppError.SCRIPT, where + ": " + message);
    }

    @Override
    public void close() {
        for (V8Module m : modules.values()) {
            try {
                m.close();
            } catch (JavetException e) {
                // the runtime is going away anyway
            }
        }
        modules.clear();
    }
}
