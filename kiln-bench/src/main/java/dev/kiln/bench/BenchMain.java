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
 * target, one of the Kiln hosts' call round trips against their send/on round trip, and one of
 * their binary payloads and streams against the ceiling measured in the same run, and writes
 * {@code results.json} and {@code chart.png}.
 *
 * <p>Usage: {@code BenchMain [--quick | --tiny | --latency | --full | --binary | --binary256] [--out DIR] [--hosts baseline,kiln-java,kiln-ts,kiln-java-inspected]}.
 * Needs a display (the launcher runs it under Xvfb). Exits 1 if a host lost, reordered or damaged a
 * message, or failed; the TypeScript host is reported "n/a" with the reason when the script host
 * cannot run at all.
 */
public final class BenchMain {
    static final String BASELINE = "baseline";
    static final String KILN_JAVA = "kiln-java";
    static final String KILN_TS = "kiln-ts";
    /** The Kiln Java host with the live IPC inspector on and one reader of its events. */
    static final String KILN_JAVA_INSPECTED = "kiln-java-inspected";

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs the bench; returns the process exit status. */
    static int run(String... args) throws Exception {
        String planName = "full";
        Path out = Path.of("target", "bench");
        List<String> hosts = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> planName = "quick";
                case "--tiny" -> planName = "tiny";
                case "--full" -> planName = "full";
                case "--latency" -> planName = "latency";
                case "--binary" -> planName = "binary";
                case "--binary256" -> planName = "binary256";
                case "--out" -> out = Path.of(args[++i]);
                case "--hosts" -> hosts = Arrays.asList(args[++i].split(","));
                default -> {
                    System.err.println("Unknown option " + args[i]
                            + "\nUsage: BenchMain [--quick | --tiny | --latency | --full | --binary | --binary256] [--out DIR]"
                            + " [--hosts baseline,kiln-java,kiln-ts,kiln-java-inspected]");
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
        if (hosts == null) { // the binary plans measure payload sizes, where the inspector adds nothing to learn
            hosts = plan.name().startsWith("binary") ? List.of(BASELINE, KILN_JAVA, KILN_TS)
                    : List.of(BASELINE, KILN_JAVA, KILN_TS, KILN_JAVA_INSPECTED);
        }
        Files.createDirectories(out);
        deleteLogs(out.resolve("logs"));
        long started = System.nanoTime();
        String loadAtStart = Machine.facts().get("loadAverage");
        System.out.println("Kiln bench, " + plan.name() + " plan, " + Machine.describe());

        // Rounds alternate the hosts, so that a slow spell of this shared machine hits them alike.
        Map<String, List<HostResult>> rounds = new LinkedHashMap<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (int round = 1; round <= plan.rounds(); round++) {
            if (plan.rounds() > 1) {
                System.out.println("Round " + round + " of " + plan.rounds());
            }
            for (String host : hosts) {
                if (unavailable.containsKey(host)) {
                    continue;
                }
                HostLauncher launcher = HostLauncher.forHost(host, plan, out);
                if (launcher.unavailable() != null) {
                    System.out.println("- " + host + ": n/a (" + launcher.unavailable() + ")");
                    unavailable.put(host, launcher.unavailable());
                    continue;
                }
                try {
                    rounds.computeIfAbsent(host, h -> new ArrayList<>())
                            .add(launcher.measure(line -> System.out.println("  " + line)));
                } catch (BenchFailure e) {
                    System.out.println("!! " + host + " FAILED: " + e.getMessage());
                    failures.add(host + ": " + e.getMessage());
                    unavailable.put(host, "failed: " + e.getMessage());
                }
            }
        }
        Map<String, HostResult> results = new LinkedHashMap<>();
        for (String host : hosts) {
            results.put(host, unavailable.containsKey(host) ? HostResult.unavailable(unavailable.get(host))
                    : HostResult.median(rounds.get(host)));
        }

        List<Row> rows = Rows.build(plan, results);
        List<CallRow> callRows = Rows.calls(results);
        String table = Rows.markdown(rows, results);
        System.out.println();
        System.out.println(table);
        System.out.println();
        System.out.println(Rows.markdownCalls(callRows));
        List<CeilingRow> binaryRows = Rows.binary(plan, results);
        if (!binaryRows.isEmpty()) {
            System.out.println();
            System.out.println(Rows.markdownBinary(binaryRows));
        }
        List<InspectorRow> inspectorRows = Rows.inspector(results);
        if (!inspectorRows.isEmpty()) {
            System.out.println();
            System.out.println(Rows.markdownInspector(inspectorRows));
        }
        writeJson(out.resolve("results.json"), plan, loadAtStart, results, rows, callRows, binaryRows, inspectorRows,
                failures);
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

    private static void writeJson(Path file, Plan plan, String loadAtStart, Map<String, HostResult> results,
                                  List<Row> rows, List<CallRow> callRows, List<CeilingRow> binaryRows,
                                  List<InspectorRow> inspectorRows, List<String> failures) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("plan", plan.name());
        root.put("finishedAt", Instant.now().toString());
        Map<String, String> machine = new LinkedHashMap<>(Machine.facts());
        machine.put("loadAverageAtStart", loadAtStart);
        machine.put("loadAverageAtEnd", machine.remove("loadAverage"));
        root.set("machine", json.valueToTree(machine));
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
        ArrayNode calls = root.putArray("callRows"); // invoke/handle against send/on, per host (no baseline)
        for (CallRow r : callRows) {
            ObjectNode o = calls.addObject();
            o.put("metric", r.metric());
            o.putNull("baseline");
            putNumber(o, "kilnJava", r.java());
            putNumber(o, "kilnJavaSendOn", r.javaSendOn());
            putNumber(o, "kilnJavaRatio", r.javaRatio());
            putNumber(o, "kilnTs", r.ts());
            putNumber(o, "kilnTsSendOn", r.tsSendOn());
            putNumber(o, "kilnTsRatio", r.tsRatio());
            o.put("target", r.target() + " send/on");
            o.put("javaVerdict", r.javaVerdict());
            o.put("tsVerdict", r.tsVerdict());
        }
        ArrayNode binary = root.putArray("binaryRows"); // against each host's ceiling of the same run
        for (CeilingRow r : binaryRows) {
            ObjectNode o = binary.addObject();
            o.put("metric", r.metric());
            o.putNull("baseline");
            putNumber(o, "kilnJava", r.java());
            putNumber(o, "kilnJavaCeiling", r.javaCeiling());
            putNumber(o, "kilnJavaRatio", r.javaRatio());
            putNumber(o, "kilnTs", r.ts());
            putNumber(o, "kilnTsCeiling", r.tsCeiling());
            putNumber(o, "kilnTsRatio", r.tsRatio());
            o.put("goal", r.goal() == null ? null : r.goal() + " ceiling");
            o.put("javaVerdict", r.javaVerdict());
            o.put("tsVerdict", r.tsVerdict());
        }
        ArrayNode inspector = root.putArray("inspectorRows"); // the Java host without and with the inspector
        for (InspectorRow r : inspectorRows) {
            ObjectNode o = inspector.addObject();
            o.put("metric", r.metric());
            putNumber(o, "baseline", r.baseline());
            putNumber(o, "inspectorOff", r.off());
            putNumber(o, "offRatio", r.offRatio());
            putNumber(o, "inspectorOn", r.on());
            putNumber(o, "onRatio", r.onRatio());
        }
        ArrayNode f = root.putArray("failures");
        failures.forEach(f::add);
        json.writeValue(file.toFile(), root);
    }

    private static void deleteLogs(Path logs) throws java.io.IOException {
        if (Files.isDirectory(logs)) {
            try (var files = Files.list(logs)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
        }
    }

    static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
