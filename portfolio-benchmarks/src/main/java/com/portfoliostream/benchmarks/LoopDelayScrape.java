package com.portfoliostream.benchmarks;

import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.web.Paths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's event-loop delay ({@link MetricNames#EVENT_LOOP_DELAY}) from its Prometheus
 * {@code /metrics} on the management port, per interval: the histogram's buckets, count and sum
 * now minus at the last reading. The interval's p99 and max are the upper bounds of the buckets
 * they fall in (Micrometer's buckets are about a tenth apart at these values); the mean is exact.
 */
final class LoopDelayScrape {

  private static final Pattern LINE = Pattern.compile(
      "^" + MetricNames.EVENT_LOOP_DELAY + "_(bucket\\{le=\"([^\"]+)\"}|count|sum)\\s+(\\S+)$", Pattern.MULTILINE);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI metrics;
  private TreeMap<Double, Double> lastBuckets = new TreeMap<>();
  private double lastCount;
  private double lastSum;

  LoopDelayScrape(int managementPort) {
    metrics = URI.create("http://127.0.0.1:" + managementPort + Paths.METRICS);
  }

  /** Timers sampled, mean, p99 and max in ms since the last call (the first call: since the node started). */
  Map<String, Object> interval() throws IOException, InterruptedException {
    String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    TreeMap<Double, Double> buckets = new TreeMap<>();
    double count = 0;
    double sum = 0;
    Matcher line = LINE.matcher(body);
    while (line.find()) {
      double value = Double.parseDouble(line.group(3));
      if (line.group(2) != null) {
        buckets.put(line.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(line.group(2)), value);
      } else if (line.group(1).equals("count")) {
        count = value;
      } else {
        sum = value;
      }
    }
    if (buckets.isEmpty()) {
      throw new IllegalStateException("the node's " + metrics + " has no " + MetricNames.EVENT_LOOP_DELAY + " histogram");
    }
    Map<String, Object> figures = figures(buckets, count - lastCount, sum - lastSum);
    lastBuckets = buckets;
    lastCount = count;
    lastSum = sum;
    return figures;
  }

  private Map<String, Object> figures(TreeMap<Double, Double> buckets, double count, double sum) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("timers", (long) count);
    figures.put("meanMs", count > 0 ? EdgeLoadBenchmark.round(sum / count) : 0);
    figures.put("p99Ms", count > 0 ? upperBound(buckets, 0.99 * count) : 0);
    figures.put("maxMs", count > 0 ? upperBound(buckets, count) : 0);
    return figures;
  }

  /** The smallest bucket bound under which at least {@code rank} of this interval's timers fall (cumulative buckets). */
  private double upperBound(TreeMap<Double, Double> buckets, double rank) {
    for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
      double inInterval = bucket.getValue() - lastBuckets.getOrDefault(bucket.getKey(), 0.0);
      if (inInterval >= rank - 1e-9) {
        return bucket.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
