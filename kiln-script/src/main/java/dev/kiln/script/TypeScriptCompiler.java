package dev.kiln.script;

import com.caoccao.javet.swc4j.Swc4j;
import com.caoccao.javet.swc4j.enums.Swc4jImportsNotUsedAsValues;
import com.caoccao.javet.swc4j.enums.Swc4jMediaType;
import com.caoccao.javet.swc4j.enums.Swc4jSourceMapOption;
import com.caoccao.javet.swc4j.exceptions.Swc4jCoreException;
import com.caoccao.javet.swc4j.options.Swc4jTranspileOptions;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strips TypeScript types with swc4j, keeping ES modules, and returns a source map for stack traces.
 *
 * <p>No type checking happens here, as in Deno's run. Threading: used only by the script loop thread.
 */
final class TypeScriptCompiler {
    private static final Pattern AT = Pattern.compile("at (?:file://)?(\\S+):(\\d+):(\\d+)\\s*$", Pattern.MULTILINE);

    /** Transpiled JavaScript and its source map (JSON text), or no map for plain JavaScript. */
    record Output(String code, String sourceMap) {
    }

    private final Swc4j swc;

    TypeScriptCompiler() {
        NativeLibraries.install();
        this.swc = new Swc4j();
    }

    /**
     * The JavaScript for a TypeScript file.
     *
     * @param display the file's name as the user should see it, such as {@code src/main.ts}
     * @throws AppError with the file, line and column of a syntax error
     */
    Output transpile(Path file, String source, String display) {
        Swc4jTranspileOptions options;
        try {
            options = new Swc4jTranspileOptions()
                    .setSpecifier(file.toUri().toURL())
                    .setMediaType(file.toString().endsWith(".tsx") ? Swc4jMediaType.Tsx : Swc4jMediaType.TypeScript)
                    .setSourceMap(Swc4jSourceMapOption.Separate)
                    .setInlineSources(true)
                    // An import whose bindings are unused (or only types) still loads its module, so a
                    // missing file or an unknown runtime: module is reported, not silently dropped.
                    .setImportsNotUsedAsValues(Swc4jImportsNotUsedAsValues.Preserve);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        Object result = StderrMute.run(() -> {
            try {
                return swc.transpile(source, options);
            } catch (Swc4jCoreException e) {
                return e;
            }
        });
        if (result instanceof Swc4jCoreException e) {
            throw new AppError(AppError.SCRIPT, describe(e.getMessage(), display), e);
        }
        var out = (com.caoccao.javet.swc4j.outputs.Swc4jTranspileOutput) result;
        return new Output(out.getCode(), out.getSourceMap());
    }

    /** swc's multi-line report as one line: {@code src/main.ts:1:19: SyntaxError: Expression expected}. */
    static String describe(String message, String display) {
        String text = message == null ? "SyntaxError" : message;
        String first = text.lines().findFirst().orElse("SyntaxError").trim();
        Matcher m = AT.matcher(text);
        String where = m.find() ? display + ":" + m.group(2) + ":" + m.group(3) : display;
        return where + ": " + first;
    }
}
