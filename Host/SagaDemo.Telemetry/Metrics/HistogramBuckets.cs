using System.Diagnostics.Metrics;

namespace SagaDemo.Telemetry.Metrics;

/// <summary>
/// Bucket bounds for a histogram: the instrument's advice (InstrumentAdvice, which ASP.NET Core
/// and our own meters set) when it gives some, else defaults suited to its unit.
/// </summary>
public static class HistogramBuckets
{
    /// <summary>OpenTelemetry's recommended bounds for durations in seconds (also ASP.NET Core's advice).</summary>
    public static readonly double[] DefaultSeconds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>OpenTelemetry's default explicit bounds for anything else.</summary>
    public static readonly double[] DefaultOther = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    public static double[] For(Instrument instrument, PrometheusUnit unit)
    {
        var advice = Advice(instrument);
        if (advice is { Length: > 0 })
            return advice.Select(b => b * unit.Scale).Distinct().Order().ToArray();
        return unit.Suffix == "seconds" ? DefaultSeconds : DefaultOther;
    }

    private static double[]? Advice(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
        Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        _ => null,
    };
}
