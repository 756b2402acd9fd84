package dev.kiln.bench;

import dev.kiln.bench.HostResult;
import dev.kiln.bench.Row.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the hosts' results into the bench tables' rows, and the rows into markdown. */
final class Rows {
    private Rows() {
    }

    static List<Row> build(Plan plan, Map<String, HostResult> results) {
        HostResult base = results.getOrDefault(BenchMain.BASELINE, HostResult.unavailable("not run"));
        HostResult java = results.getOrDefault(BenchMain.KILN_JAVA, HostResult.unavailable("not run"));
        HostResult ts = results.getOrDefault(BenchMain.KILN_TS, HostResult.unavailable("not run"));
        // The baseline's best round trip form is whichever had the lower p50 in this run.
        String rtForm = !(base.get("naive.rt_p50_us") < base.get("batched.rt_p50_us")) ? "batched" : "naive";

        List<Row> rows = new ArrayList<>();
        rows.add(kiln("Host->renderer msgs/s, 50 B (baseline batched)", base.get("batched.h2r_msgs_s"), java, ts,
                "kiln.h2r_msgs_s", Target.atLeast(0.8), Target.atLeast(0.8)));
        rows.add(kiln("Host->renderer msgs/s, 50 B (baseline naive, info)", base.get("naive.h2r_msgs_s"), java, ts,
                "kiln.h2r_msgs_s", null, null));
        rows.add(kiln("Renderer->host msgs/s, 50 B (baseline naive)", base.get("naive.r2h_msgs_s"), java, ts,
                "kiln.r2h_msgs_s", Target.atLeast(1.0), Target.atLeast(1.0)));
        rows.add(kiln("Renderer->host msgs/s, 50 B (baseline batched, info)", base.get("batched.r2h_msgs_s"), java, ts,
                "kiln.r2h_msgs_s", null, null));
        rows.add(kiln("Round trip p50, us (baseline " + rtForm + ")", base.get(rtForm + ".rt_p50_us"), java, ts,
                "kiln.rt_p50_us", Target.atMost(1.2), Target.atMost(2.0)));
        rows.add(kiln("Round trip p99, us (baseline " + rtForm + ")", base.get(rtForm + ".rt_p99_us"), java, ts,
                "kiln.rt_p99_us", null, null));
        rows.add(kiln("CPU per msg host->renderer, us (base batched, info)",
                base.get("batched.h2r_cpu_us_per_msg"), java, ts, "kiln.h2r_cpu_us_per_msg", null, null));
        rows.add(kiln("CPU per msg renderer->host, us (base batched, info)",
                base.get("batched.r2h_cpu_us_per_msg"), java, ts, "kiln.r2h_cpu_us_per_msg", null, null));
        for (int size : plan.largeSizes()) {
            String mb = (size / Plan.MB) + "mb";
            Target t = size >= 10 * Plan.MB ? Target.atMost(1.5) : null;
            rows.add(kiln((size / Plan.MB) + " MB host->renderer, ms", base.get("batched.big_h2r_" + mb + "_ms"),
                    java, ts, "kiln.big_h2r_" + mb + "_ms", t, t));
            rows.add(kiln((size / Plan.MB) + " MB renderer->host, ms", base.get("batched.big_r2h_" + mb + "_ms"),
                    java, ts, "kiln.big_r2h_" + mb + "_ms", t, t));
        }
        rows.add(new Row("Process start to first window ready, s", base.startupSeconds(), java.startupSeconds(),
                ts.startupSeconds(), Target.plusAtMost(0.3), Target.plusAtMost(0.6)));
        rows.add(new Row("RSS after start, MB", base.rssStartMb(), java.rssStartMb(), ts.rssStartMb(), null, null));
        rows.add(new Row("RSS after " + messagesLabel(base, java, ts) + " messages, MB", base.rssAfterMb(),
                java.rssAfterMb(), ts.rssAfterMb(), null, null));
        return rows;
    }

    /**
     * The calls table: each Kiln host's invoke round trips against its own send/on round trip of the
     * same run (the goal: within 1.3x).
     */
    static List<CallRow> calls(Map<String, HostResult> results) {
        HostResult java = results.getOrDefault(BenchMain.KILN_JAVA, HostResult.unavailable("not run"));
        HostResult ts = results.getOrDefault(BenchMain.KILN_TS, HostResult.unavailable("not run"));
        Target goal = Target.atMost(1.3);
        List<CallRow> rows = new ArrayList<>();
        for (String[] way : new String[][] {
                {"r2h", "Invoke renderer->host (page invoke, host handle)"},
                {"h2r", "Invoke host->renderer (host invokeWindow, page handle)"}}) {
            for (String p : new String[] {"p50", "p99"}) {
                rows.add(new CallRow(way[1] + " " + p + ", us", java.get("kiln.invoke_" + way[0] + "_" + p + "_us"),
                        java.get("kiln.rt_" + p + "_us"), ts.get("kiln.invoke_" + way[0] + "_" + p + "_us"),
                        ts.get("kiln.rt_" + p + "_us"), goal));
            }
        }
        return rows;
    }

    /**
     * The binary and stream table: each Kiln host's binary payloads and streams in MB/s against the
     * ceiling of the same run (goal: at least 0.8x), with the ceilings, chunk rates and the slow
     * page's memory as information. The baseline's bridge moves no binary, so it has no column.
     */
    static List<CeilingRow> binary(Plan plan, Map<String, HostResult> results) {
        HostResult java = results.getOrDefault(BenchMain.KILN_JAVA, HostResult.unavailable("not run"));
        HostResult ts = results.getOrDefault(BenchMain.KILN_TS, HostResult.unavailable("not run"));
        List<CeilingRow> rows = new ArrayList<>();
        if (plan.binaryBytes() == 0) {
            return rows;
        }
        String bin = mib(plan.binaryBytes());
        String stream = mib(plan.streamBytes()) + (plan.streamBytes() < 256 * Plan.MB ? " (smaller in this plan)" : "");
        Target goal = Target.atLeast(0.8);
        rows.add(ceiling("Binary " + bin + " host->page, one payload (byte[] -> Uint8Array), MB/s", java, ts,
                "kiln.bin_h2r_mb_s", "bin", goal));
        rows.add(ceiling("Binary " + bin + " page->host, one payload (Uint8Array -> byte[]), MB/s", java, ts,
                "kiln.bin_r2h_mb_s", "bin", goal));
        rows.add(ceiling("Stream " + stream + " host->page, 1 MiB chunks, highWaterMark 4, MB/s", java, ts,
                "kiln.stream_mb_s", "stream", goal));
        rows.add(info("Stream " + stream + " host->page, chunks/s", java, ts, "kiln.stream_chunks_s"));
        rows.add(info("Stream " + stream + " to a slow page (" + BinaryScenarios.SLOW_CONSUMER_MS
                + " ms per chunk), MB/s", java, ts, "kiln.stream_slow_mb_s"));
        rows.add(info("Host RSS before the slow-page stream, MB", java, ts, "kiln.stream_slow_rss_before_mb"));
        rows.add(info("Host RSS peak during the slow-page stream, MB", java, ts, "kiln.stream_slow_rss_peak_mb"));
        rows.add(info("Ceiling: page fetch of " + bin + " static bytes from the loopback server, MB/s", java, ts,
                "kiln.ceiling_fetch_bin_mb_s"));
        rows.add(info("Ceiling: page fetch of " + stream + " static bytes, MB/s", java, ts,
                "kiln.ceiling_fetch_stream_mb_s"));
        rows.add(info("Ceiling: Java byte[] copy of " + bin + " (System.arraycopy), MB/s", java, ts,
                "kiln.ceiling_copy_bin_mb_s"));
        rows.add(info("Ceiling: Java byte[] copy of " + stream + ", MB/s", java, ts, "kiln.ceiling_copy_stream_mb_s"));
        return rows;
    }

    /**
     * The inspector table: the Kiln Java host without and with the live IPC inspector, next to the
     * baseline's value; empty when the inspected host did not run.
     */
    static List<InspectorRow> inspector(Map<String, HostResult> results) {
        HostResult base = results.getOrDefault(BenchMain.BASELINE, HostResult.unavailable("not run"));
        HostResult off = results.getOrDefault(BenchMain.KILN_JAVA, HostResult.unavailable("not run"));
        HostResult on = results.get(BenchMain.KILN_JAVA_INSPECTED);
        List<InspectorRow> rows = new ArrayList<>();
        if (on == null || on.unavailable() != null) {
            return rows;
        }
        String rtForm = !(base.get("naive.rt_p50_us") < base.get("batched.rt_p50_us")) ? "batched" : "naive";
        String[][] metrics = {
                {"Host->renderer msgs/s, 50 B", "batched.h2r_msgs_s", "kiln.h2r_msgs_s"},
                {"Renderer->host msgs/s, 50 B", "naive.r2h_msgs_s", "kiln.r2h_msgs_s"},
                {"Round trip p50, us", rtForm + ".rt_p50_us", "kiln.rt_p50_us"},
                {"Round trip p99, us", rtForm + ".rt_p99_us", "kiln.rt_p99_us"},
                {"CPU per msg host->renderer, us", "batched.h2r_cpu_us_per_msg", "kiln.h2r_cpu_us_per_msg"},
                {"CPU per msg renderer->host, us", "batched.r2h_cpu_us_per_msg", "kiln.r2h_cpu_us_per_msg"},
                {"Invoke renderer->host p50, us", null, "kiln.invoke_r2h_p50_us"},
                {"Invoke host->renderer p50, us", null, "kiln.invoke_h2r_p50_us"}};
        for (String[] m : metrics) {
            rows.add(new InspectorRow(m[0], m[1] == null ? Double.NaN : base.get(m[1]), off.get(m[2]), on.get(m[2])));
        }
        rows.add(new InspectorRow("RSS after the soak, MB", base.rssAfterMb(), off.rssAfterMb(), on.rssAfterMb()));
        return rows;
    }

    static String markdownInspector(List<InspectorRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Live IPC inspector (Kiln Java host) | Baseline | Inspector off | Off / base | Inspector on, one reader"
                + " | On / off |\n");
        sb.append("|---|---:|---:|---:|---:|---:|\n");
        for (InspectorRow r : rows) {
            sb.append("| ").append(r.metric())
                    .append(" | ").append(format(r.baseline(), "n/a"))
                    .append(" | ").append(format(r.off(), "n/a"))
                    .append(" | ").append(times(r.offRatio()))
                    .append(" | ").append(format(r.on(), "n/a"))
                    .append(" | ").append(times(r.onRatio()))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String mib(int bytes) {
        return (bytes / Plan.MB) + " MiB";
    }

    /** A rate against its run's ceiling: the lower of the page fetch and the byte[] copy of the same size. */
    private static CeilingRow ceiling(String metric, HostResult java, HostResult ts, String key, String size,
                                      Target goal) {
        return new CeilingRow(metric, java.get(key), ceilingOf(java, size), ts.get(key), ceilingOf(ts, size), goal);
    }

    private static double ceilingOf(HostResult h, String size) {
        return Math.min(h.get("kiln.ceiling_fetch_" + size + "_mb_s"), h.get("kiln.ceiling_copy_" + size + "_mb_s"));
    }

    private static CeilingRow info(String metric, HostResult java, HostResult ts, String key) {
        return new CeilingRow(metric, java.get(key), Double.NaN, ts.get(key), Double.NaN, null);
    }

    static String markdownBinary(List<CeilingRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Binary and stream (baseline: n/a, its bridge moves no binary) | Kiln Java | Java ceiling"
                + " | Java / ceiling | Kiln TS | TS ceiling | TS / ceiling | Goal (both) | Java | TS |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---|---|---|\n");
        for (CeilingRow r : rows) {
            sb.append("| ").append(r.metric())
                    .append(" | ").append(format(r.java(), "n/a"))
                    .append(" | ").append(format(r.javaCeiling(), ""))
                    .append(" | ").append(times(r.javaRatio()))
                    .append(" | ").append(format(r.ts(), "n/a"))
                    .append(" | ").append(format(r.tsCeiling(), ""))
                    .append(" | ").append(times(r.tsRatio()))
                    .append(" | ").append(r.goal() == null ? "" : r.goal() + " ceiling")
                    .append(" | ").append(r.javaVerdict())
                    .append(" | ").append(r.tsVerdict())
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static Row kiln(String metric, double baseline, HostResult java, HostResult ts, String key,
                            Target javaTarget, Target tsTarget) {
        return new Row(metric, baseline, java.get(key), ts.get(key), javaTarget, tsTarget);
    }

    private static String messagesLabel(HostResult... hosts) {
        long min = Long.MAX_VALUE;
        for (HostResult h : hosts) {
            if (h.unavailable() == null) {
                min = Math.min(min, h.messages());
            }
        }
        return min == Long.MAX_VALUE ? "N" : min >= 1_000_000 ? "~" + (min / 100_000) / 10.0 + "M"
                : "~" + (min / 1000) + "k";
    }

    static String markdown(List<Row> rows, Map<String, HostResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Metric | Baseline | Kiln Java | Kiln TS | Java / base | TS / base | Target (Java; TS) | Java | TS |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---|---|---|\n");
        for (Row r : rows) {
            String targets = r.javaTarget() == null ? "" : r.javaTarget() + "; " + r.tsTarget();
            sb.append("| ").append(r.metric())
                    .append(" | ").append(format(r.baseline(), "n/a"))
                    .append(" | ").append(format(r.java(), "n/a"))
                    .append(" | ").append(format(r.ts(), "n/a"))
                    .append(" | ").append(ratio(r, r.java()))
                    .append(" | ").append(ratio(r, r.ts()))
                    .append(" | ").append(targets)
                    .append(" | ").append(r.javaVerdict())
                    .append(" | ").append(r.tsVerdict())
                    .append(" |\n");
        }
        results.forEach((name, h) -> {
            if (h.unavailable() != null) {
                sb.append("\n").append(name).append(": n/a (").append(h.unavailable()).append(")");
            }
        });
        return sb.toString();
    }

    static String markdownCalls(List<CallRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Call round trip (baseline: n/a, it has no calls) | Kiln Java | Java send/on | Java invoke / send-on"
                + " | Kiln TS | TS send/on | TS invoke / send-on | Target (both) | Java | TS |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---|---|---|\n");
        for (CallRow r : rows) {
            sb.append("| ").append(r.metric())
                    .append(" | ").append(format(r.java(), "n/a"))
                    .append(" | ").append(format(r.javaSendOn(), "n/a"))
                    .append(" | ").append(times(r.javaRatio()))
                    .append(" | ").append(format(r.ts(), "n/a"))
                    .append(" | ").append(format(r.tsSendOn(), "n/a"))
                    .append(" | ").append(times(r.tsRatio()))
                    .append(" | ").append(r.target()).append(" send/on")
                    .append(" | ").append(r.javaVerdict())
                    .append(" | ").append(r.tsVerdict())
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String times(double q) {
        return Double.isNaN(q) ? "" : String.format(Locale.ROOT, "%.2fx", q);
    }

    private static String ratio(Row r, double kiln) {
        if (r.javaTarget() != null && r.javaTarget().kind() == Target.Kind.PLUS_AT_MOST) {
            double d = kiln - r.baseline();
            return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%+.2f s", d);
        }
        return times(Row.ratio(kiln, r.baseline()));
    }

    static String format(double v, String missing) {
        if (Double.isNaN(v)) {
            return missing;
        }
        if (Math.abs(v) >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
