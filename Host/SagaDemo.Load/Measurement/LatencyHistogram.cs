namespace SagaDemo.Load.Measurement;

/// <summary>
/// A log-linear histogram of milliseconds for the live display: lock-free to record, O(buckets)
/// to read, and within 1% of the exact percentile (each bucket is 1% wide and answers with its
/// geometric middle, so the error is at most about 0.5%). The final summary uses exact values.
/// </summary>
public sealed class LatencyHistogram
{
    const double Growth = 1.01;
    /// <summary>1 microsecond; anything faster lands in the first bucket.</summary>
    public const double MinimumMs = 0.001;
    /// <summary>About 2.8 hours; anything slower lands in the last bucket.</summary>
    public const double MaximumMs = 1e7;

    static readonly double LogGrowth = Math.Log(Growth);
    static readonly int BucketCount = (int)Math.Ceiling(Math.Log(MaximumMs / MinimumMs) / LogGrowth) + 1;

    readonly long[] _counts = new long[BucketCount];
    long _total;
    long _minBits = BitConverter.DoubleToInt64Bits(double.MaxValue);
    long _maxBits = BitConverter.DoubleToInt64Bits(0.0);

    public long Count => Interlocked.Read(ref _total);

    public void Record(double ms)
    {
        if (double.IsNaN(ms) || ms < 0)
            ms = 0;
        Interlocked.Increment(ref _counts[IndexOf(ms)]);
        Interlocked.Increment(ref _total);
        // Positive doubles order like their bit patterns, so min/max can be kept with integer CAS.
        var bits = BitConverter.DoubleToInt64Bits(ms);
        UpdateIf(ref _minBits, bits, (candidate, current) => candidate < current);
        UpdateIf(ref _maxBits, bits, (candidate, current) => candidate > current);
    }

    /// <summary>The percentile's value, or null when nothing was recorded.</summary>
    public double? Percentile(double percent)
    {
        var total = Count;
        if (total == 0)
            return null;
        var rank = Math.Max(1, (long)Math.Ceiling(Math.Round(percent / 100.0 * total, 9)));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
                return Math.Clamp(MiddleOf(i), Min, Max);
        }
        return Max;
    }

    public double Min => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _minBits));
    public double Max => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _maxBits));

    static int IndexOf(double ms) =>
        ms <= MinimumMs ? 0 : Math.Min(BucketCount - 1, (int)(Math.Log(ms / MinimumMs) / LogGrowth));

    static double MiddleOf(int index) => MinimumMs * Math.Pow(Growth, index + 0.5);

    static void UpdateIf(ref long target, long candidate, Func<long, long, bool> better)
    {
        var current = Interlocked.Read(ref target);
        while (better(candidate, current))
        {
            var seen = Interlocked.CompareExchange(ref target, candidate, current);
            if (seen == current)
                return;
            current = seen;
        }
    }
}
