namespace SagaDemo.Load.Measurement;

/// <summary>Exact order statistics over every recorded value (nearest-rank definition).</summary>
public static class Percentiles
{
    /// <summary>
    /// The nearest-rank percentile of an ascending array: the smallest value with at least
    /// <paramref name="percent"/>% of the values at or below it. Null when there are no values.
    /// </summary>
    public static double? OfSorted(ReadOnlySpan<double> sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.IsEmpty)
            return null;
        // Ceil on a product of doubles: 99 * 100 / 100 can come out as 99.00000000000001; trim that noise.
        var rank = (long)Math.Ceiling(Math.Round(percent / 100.0 * sorted.Length, 9));
        return sorted[(int)Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public static LatencySummary Summarize(double[] values)
    {
        if (values.Length == 0)
            return LatencySummary.Empty;
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return new(sorted.Length, OfSorted(sorted, 50), OfSorted(sorted, 95), OfSorted(sorted, 99), OfSorted(sorted, 99.9),
            sorted[^1], sorted[0], sorted.Average());
    }
}

/// <summary>Latency figures in milliseconds; null when nothing was measured.</summary>
public sealed record LatencySummary(
    long Count, double? P50, double? P95, double? P99, double? P999, double? Max, double? Min, double? Mean)
{
    public static LatencySummary Empty { get; } = new(0, null, null, null, null, null, null, null);
}
