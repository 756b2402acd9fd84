package dev.kiln.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine a bench ran on, for the report: numbers from different machines do not compare. */
final class Machine {
    private Machine() {
    }

    static Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("memory", firstMatch(Path.of("/proc/meminfo"), "MemTotal"));
        m.put("loadAverage", read(Path.of("/proc/loadavg")));
        m.put("os", firstMatch(Path.of("/etc/os-release"), "PRETTY_NAME").replace("\"", ""));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("display", String.valueOf(System.getenv("DISPLAY")));
        m.put("jvmFlags", String.join(" ", HostLauncher.JVM_FLAGS));
        return m;
    }

    static String describe() {
        Map<String, String> f = facts();
        return f.get("cpu") + ", " + f.get("cores") + " cores, " + f.get("os") + ", " + f.get("java")
                + ", load " + f.get("loadAverage");
    }

    private static String firstMatch(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String l : lines) {
                if (l.startsWith(key)) {
                    int sep = l.indexOf(l.contains("=") && !l.contains(":") ? '=' : ':');
                    return l.substring(sep + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
