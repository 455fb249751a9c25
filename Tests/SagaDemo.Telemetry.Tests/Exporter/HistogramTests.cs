using System.Diagnostics.Metrics;
using SagaDemo.Telemetry.Metrics;

namespace SagaDemo.Telemetry.Tests.Exporter;

public sealed class HistogramTests
{
    [Fact]
    public void Advice_buckets_are_used_with_cumulative_counts_sum_and_count()
    {
        using var m = new PrivateMeter();
        var histogram = m.Meter.CreateHistogram("job.duration", "s", "Job time.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        foreach (var value in new[] { 0.05, 0.1, 0.5, 2, 20 })
            histogram.Record(value, new KeyValuePair<string, object?>("job", "x"));

        Assert.Equal(
        [
            "job_duration_seconds_bucket{job=\"x\",le=\"0.1\"} 2", // a value on a bound is counted in it
            "job_duration_seconds_bucket{job=\"x\",le=\"1\"} 3",
            "job_duration_seconds_bucket{job=\"x\",le=\"10\"} 4",
            "job_duration_seconds_bucket{job=\"x\",le=\"+Inf\"} 5",
            "job_duration_seconds_sum{job=\"x\"} 22.65",
            "job_duration_seconds_count{job=\"x\"} 5",
        ], m.Samples());
        Assert.Contains("# TYPE job_duration_seconds histogram\n", m.Scrape());
    }

    [Fact]
    public void Seconds_histogram_without_advice_gets_the_default_seconds_buckets()
    {
        using var m = new PrivateMeter();
        m.Meter.CreateHistogram<double>("call.duration", "s").Record(0.3);

        var bounds = m.Samples().Where(l => l.StartsWith("call_duration_seconds_bucket"))
            .Select(l => l.Split("le=\"")[1].Split('"')[0]).ToArray();

        Assert.Equal(HistogramBuckets.DefaultSeconds.Select(PrometheusTextWriter.FormatNumber).Append("+Inf"), bounds);
    }

    [Fact]
    public void Millisecond_histograms_are_exported_in_seconds_with_scaled_buckets()
    {
        using var m = new PrivateMeter();
        var histogram = m.Meter.CreateHistogram("consume.duration", "ms", null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 50, 500] });
        histogram.Record(40);

        Assert.Equal(
        [
            "consume_duration_seconds_bucket{le=\"0.005\"} 0",
            "consume_duration_seconds_bucket{le=\"0.05\"} 1",
            "consume_duration_seconds_bucket{le=\"0.5\"} 1",
            "consume_duration_seconds_bucket{le=\"+Inf\"} 1",
            "consume_duration_seconds_sum 0.04",
            "consume_duration_seconds_count 1",
        ], m.Samples());
    }

    [Fact]
    public void Integer_histogram_advice_is_honoured()
    {
        using var m = new PrivateMeter();
        m.Meter.CreateHistogram("batch.size", "{record}", null,
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 10, 100] }).Record(7);

        Assert.Contains("batch_size_bucket{le=\"10\"} 1", m.Samples());
        Assert.Contains("batch_size_bucket{le=\"1\"} 0", m.Samples());
    }
}
