package dev.kiln.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * How to start one host under test as a child process, and its measurement: one full run, then
 * extra start-only runs when the plan wants more start-up samples (the median is kept).
 *
 * <p>The baseline and the Kiln Java host run {@link BenchChild} in a JVM with the same flags; the
 * TypeScript host runs the bench app ({@link TsBenchApp}) on the script host, in the same kind of JVM
 * ({@link ScriptBenchChild}).
 */
final class HostLauncher {
    /** JVM flags of every host's JVM, the same for all so that their memory compares. */
    static final List<String> JVM_FLAGS = List.of("-Xmx1g", "-XX:+UseG1GC");

    private final String host;
    private final Plan plan;
    private final Path out;
    private final List<String> command;
    private final List<String> startupCommand;
    private final String unavailable;

    private HostLauncher(String host, Plan plan, Path out, List<String> command, List<String> startupCommand,
                         String unavailable) {
        this.host = host;
        this.plan = plan;
        this.out = out;
        this.command = command;
        this.startupCommand = startupCommand;
        this.unavailable = unavailable;
    }

    static HostLauncher forHost(String host, Plan plan, Path out) {
        return switch (host) {
            case BenchMain.BASELINE, BenchMain.KILN_JAVA, BenchMain.KILN_JAVA_INSPECTED ->
                    java(host, plan, out, BenchChild.class, host, plan.name());
            case BenchMain.KILN_TS -> java(host, plan, out, ScriptBenchChild.class, plan.name());
            default -> throw new IllegalArgumentException("Unknown host '" + host
                    + "': use baseline, kiln-java, kiln-ts or kiln-java-inspected");
        };
    }

    private static HostLauncher java(String host, Plan plan, Path out, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        if (plan.binaryBytes() > 64 * Plan.MB) {
            // one payload each way plus the host's own copy to check against: 1 GiB is too little at 256 MiB
            command.add("-Xmx3g");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        List<String> startOnly = new ArrayList<>(command);
        startOnly.add("--startup-only");
        String unavailable = null;
        if (host.equals(BenchMain.KILN_TS)) {
            try {
                Class.forName("dev.kiln.script.ScriptApp");
            } catch (ClassNotFoundException e) {
                unavailable = "script host not on the classpath";
            }
        }
        return new HostLauncher(host, plan, out, command, startOnly, unavailable);
    }

    /** Why this host cannot run at all, or {@code null}. */
    String unavailable() {
        return unavailable;
    }

    HostResult measure(Consumer<String> progress) throws Exception {
        long timeout = switch (plan.name()) {
            case "tiny" -> 120;
            case "quick" -> 240;
            default -> 600;
        };
        Path log = out.resolve("logs").resolve(host + ".log");
        ChildProcess.Outcome main = new ChildProcess(host, command, log, progress).run(false, timeout);
        List<Double> samples = new ArrayList<>();
        samples.add(main.startupSeconds());
        for (int i = 1; i < plan.startupSamples(); i++) {
            samples.add(new ChildProcess(host + " (start-up " + (i + 1) + ")", startupCommand, log, progress)
                    .run(true, 120).startupSeconds());
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return new HostResult(null, sorted.get(sorted.size() / 2), main.rssStartMb(), main.rssAfterMb(),
                main.messages(), main.results(), samples, 1);
    }
}
