package dev.kiln.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One host under test, in its own JVM: opens the bench window, runs {@link Scenarios} and reports
 * to the parent ({@link BenchMain}) in lines starting with {@code KB }.
 *
 * <p>Protocol on stdout: {@code KB READY} once the first window's page is ready (the parent then
 * reads this process's memory and answers {@code GO} on stdin), {@code KB LOG <text>},
 * {@code KB MEM <messages>} after the soak, which comes first (memory read again, then {@code GO}),
 * {@code KB RESULT <json>}, and {@code KB FAIL <reason>} with exit status 2 on any failure.
 * Usage: {@code BenchChild <baseline|kiln-java|kiln-java-inspected> <tiny|quick|full> [--startup-only]}.
 */
public final class BenchChild {
    static final String PREFIX = "KB ";

    private BenchChild() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        try {
            String hostName = args[0];
            Plan plan = Plan.named(args[1]);
            boolean startupOnly = args.length > 2 && args[2].equals("--startup-only");
            BenchHost host = switch (hostName) {
                case BenchMain.BASELINE -> new BaselineHost();
                case BenchMain.KILN_JAVA -> new KilnJavaHost(false);
                case BenchMain.KILN_JAVA_INSPECTED -> new KilnJavaHost(true);
                default -> throw new IllegalArgumentException("Unknown host '" + hostName + "'");
            };
            List<String> variants = hostName.equals(BenchMain.BASELINE) ? List.of("batched", "naive") : List.of("kiln");
            Scenarios scenarios = new Scenarios(host, plan, line -> out.println(PREFIX + "LOG " + line));
            scenarios.install();
            boolean binary = host.hasBinary() && plan.binaryBytes() > 0;
            BinaryScenarios binaryScenarios = new BinaryScenarios(host, plan, line -> out.println(PREFIX + "LOG " + line));
            Path web = WebAssets.extract();
            if (binary) {
                binaryScenarios.install();
                BinaryScenarios.writeCeilingFiles(plan, web);
            }
            long t0 = System.nanoTime();
            host.open(web);
            long t1 = System.nanoTime();
            scenarios.awaitPageReady(60);
            long t2 = System.nanoTime();
            out.println(PREFIX + "LOG start-up: ready " + ManagementFactory.getRuntimeMXBean().getUptime()
                    + " ms after JVM start; window open took " + (t1 - t0) / 1_000_000 + " ms, then page ready "
                    + (t2 - t1) / 1_000_000 + " ms");
            out.println(PREFIX + "READY");
            out.flush();
            if (startupOnly) {
                host.close();
                System.exit(0);
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            awaitGo(in);
            out.println(PREFIX + "MEM " + scenarios.soak(variants.get(0)));
            out.flush();
            awaitGo(in);
            Map<String, Double> results = scenarios.runAll(variants);
            if (binary) {
                binaryScenarios.runAll(results);
            }
            out.println(PREFIX + "LOG CPU by thread: " + ProcessCpu.busiestThreads(6));
            out.println(PREFIX + "RESULT " + new ObjectMapper().writeValueAsString(results));
            out.flush();
            host.close();
            System.exit(0);
        } catch (Throwable e) {
            out.println(PREFIX + "FAIL " + e);
            e.printStackTrace();
            out.flush();
            System.exit(2);
        }
    }

    private static void awaitGo(BufferedReader in) throws Exception {
        String line = in.readLine();
        if (!"GO".equals(line)) {
            throw new IllegalStateException("The bench parent went away (got " + line + ")");
        }
    }
}
