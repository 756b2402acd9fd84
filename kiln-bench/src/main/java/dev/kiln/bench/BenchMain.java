package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end bench: the hand-written JavaFX bridge, the Kiln Java host and the Kiln TypeScript
 * host, each in its own JVM, side by side in one run; prints a markdown table with PASS/MISS per
 * target and writes {@code results.json} and {@code chart.png}.
 *
 * <p>Usage: {@code BenchMain [--quick | --tiny] [--out DIR] [--hosts baseline,kiln-java,kiln-ts]}.
 * Needs a display (the launcher runs it under Xvfb). Exits 1 if a host lost, reordered or damaged a
 * message, or failed; the TypeScript host is reported "n/a" with the reason when the script host
 * cannot run at all.
 */
public final class BenchMain {
    static final String BASELINE = "baseline";
    static final String KILN_JAVA = "kiln-java";
    static final String KILN_TS = "kiln-ts";

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs the bench; returns the process exit status. */
    static int run(String... args) throws Exception {
        String planName = "full";
        Path out = Path.of("target", "bench");
        List<String> hosts = List.of(BASELINE, KILN_JAVA, KILN_TS);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> planName = "quick";
                case "--tiny" -> planName = "tiny";
                case "--full" -> planName = "full";
                case "--out" -> out = Path.of(args[++i]);
                case "--hosts" -> hosts = Arrays.asList(args[++i].split(","));
                default -> {
                    System.err.println("Unknown option " + args[i]
                            + "\nUsage: BenchMain [--quick | --tiny | --full] [--out DIR] [--hosts baseline,kiln-java,kiln-ts]");
                    return 64;
                }
            }
        }
        String display = System.getenv("DISPLAY");
        if (display == null || display.isBlank()) {
            System.err.println("No DISPLAY: the bench opens real windows. Run it through ./kiln bench, "
                    + "or start Xvfb (Xvfb :93 &) and export DISPLAY=:93.");
            return 2;
        }
        Plan plan = Plan.named(planName);
        Files.createDirectories(out);
        long started = System.nanoTime();
        System.out.println("Kiln bench, " + plan.name() + " plan, " + Machine.describe());

        Map<String, HostResult> results = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (String host : hosts) {
            HostLauncher launcher = HostLauncher.forHost(host, plan, out);
            if (launcher.unavailable() != null) {
                System.out.println("- " + host + ": n/a (" + launcher.unavailable() + ")");
                results.put(host, HostResult.unavailable(launcher.unavailable()));
                continue;
            }
            try {
                results.put(host, launcher.measure(line -> System.out.println("  " + line)));
            } catch (BenchFailure e) {
                System.out.println("!! " + host + " FAILED: " + e.getMessage());
                failures.add(host + ": " + e.getMessage());
                results.put(host, HostResult.unavailable("failed: " + e.getMessage()));
            }
        }

        List<Row> rows = Rows.build(plan, results);
        String table = Rows.markdown(rows, results);
        System.out.println();
        System.out.println(table);
        writeJson(out.resolve("results.json"), plan, results, rows, failures);
        new Chart(rows).write(out.resolve("chart.png"));
        System.out.printf("Wrote %s and %s in %.0f s%n", out.resolve("results.json"), out.resolve("chart.png"),
                (System.nanoTime() - started) / 1e9);
        if (!failures.isEmpty()) {
            System.out.println("BENCH FAILED:");
            failures.forEach(f -> System.out.println("  " + f));
            return 1;
        }
        return 0;
    }

    private static void writeJson(Path file, Plan plan, Map<String, HostResult> results, List<Row> rows,
                                  List<String> failures) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("plan", plan.name());
        root.put("finishedAt", Instant.now().toString());
        root.set("machine", json.valueToTree(Machine.facts()));
        ObjectNode hosts = root.putObject("hosts");
        results.forEach((name, r) -> hosts.set(name, r.toJson(json)));
        ArrayNode table = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode o = table.addObject();
            o.put("metric", r.metric());
            putNumber(o, "baseline", r.baseline());
            putNumber(o, "kilnJava", r.java());
            putNumber(o, "kilnTs", r.ts());
            putNumber(o, "kilnJavaRatio", Row.ratio(r.java(), r.baseline()));
            putNumber(o, "kilnTsRatio", Row.ratio(r.ts(), r.baseline()));
            o.put("javaTarget", r.javaTarget() == null ? null : r.javaTarget().toString());
            o.put("javaVerdict", r.javaVerdict());
            o.put("tsTarget", r.tsTarget() == null ? null : r.tsTarget().toString());
            o.put("tsVerdict", r.tsVerdict());
        }
        ArrayNode f = root.putArray("failures");
        failures.forEach(f::add);
        json.writeValue(file.toFile(), root);
    }

    static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    /** What one host produced: its results (keyed as {@link Scenarios} names them) and process numbers. */
    record HostResult(String unavailable, double startupSeconds, double rssStartMb, double rssAfterMb,
                      long messages, JsonNode results, List<Double> startupSamples) {
        static HostResult unavailable(String why) {
            return new HostResult(why, Double.NaN, Double.NaN, Double.NaN, 0, null, List.of());
        }

        double get(String key) {
            if (results == null || !results.has(key) || results.get(key).isNull()) {
                return Double.NaN;
            }
            return results.get(key).asDouble();
        }

        JsonNode toJson(ObjectMapper json) {
            ObjectNode o = json.createObjectNode();
            o.put("available", unavailable == null);
            if (unavailable != null) {
                o.put("reason", unavailable);
                return o;
            }
            putNumber(o, "startupSeconds", startupSeconds);
            o.set("startupSamples", json.valueToTree(startupSamples));
            putNumber(o, "rssStartMb", rssStartMb);
            putNumber(o, "rssAfterMb", rssAfterMb);
            o.put("messages", messages);
            o.set("results", results);
            return o;
        }
    }
}
