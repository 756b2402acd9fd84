package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What one host produced: its results (keyed as {@link Scenarios} names them) and its process numbers.
 *
 * @param unavailable    why the host could not be measured, or {@code null}
 * @param startupSeconds the median start-up time
 * @param rssStartMb     resident memory once the first window was ready
 * @param rssAfterMb     resident memory after {@code messages} messages
 * @param messages       messages moved before the second memory reading
 * @param results        the measurements, {@code <variant>.<metric>} to a number
 * @param startupSamples every start-up time measured
 * @param rounds         how many runs these numbers are the median of
 */
record HostResult(String unavailable, double startupSeconds, double rssStartMb, double rssAfterMb, long messages,
                  JsonNode results, List<Double> startupSamples, int rounds) {

    static HostResult unavailable(String why) {
        return new HostResult(why, Double.NaN, Double.NaN, Double.NaN, 0, null, List.of(), 0);
    }

    /** One result per metric: the median over the runs (the median of all start-up samples). */
    static HostResult median(List<HostResult> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        List<Double> samples = new ArrayList<>();
        runs.forEach(r -> samples.addAll(r.startupSamples()));
        ObjectNode merged = new ObjectMapper().createObjectNode();
        runs.get(0).results().fieldNames().forEachRemaining(key ->
                merged.put(key, median(runs, r -> r.get(key))));
        return new HostResult(null, medianOf(samples), median(runs, HostResult::rssStartMb),
                median(runs, HostResult::rssAfterMb), runs.stream().mapToLong(HostResult::messages).min().orElse(0),
                merged, samples, runs.size());
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
        o.put("rounds", rounds);
        BenchMain.putNumber(o, "startupSeconds", startupSeconds);
        o.set("startupSamples", json.valueToTree(startupSamples));
        BenchMain.putNumber(o, "rssStartMb", rssStartMb);
        BenchMain.putNumber(o, "rssAfterMb", rssAfterMb);
        o.put("messages", messages);
        o.set("results", results);
        return o;
    }

    private static double median(List<HostResult> runs, ToDoubleFunction<HostResult> metric) {
        List<Double> v = new ArrayList<>();
        runs.forEach(r -> v.add(metric.applyAsDouble(r)));
        return medianOf(v);
    }

    private static double medianOf(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }
}
