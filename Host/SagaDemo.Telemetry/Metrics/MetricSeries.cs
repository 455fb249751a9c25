namespace SagaDemo.Telemetry.Metrics;

/// <summary>One series of a counter or gauge: a single value under one label set.</summary>
public sealed class ValueSeries(LabelSet labels)
{
    private readonly Lock _lock = new();
    private double _value;

    public LabelSet Labels { get; } = labels;

    public double Value { get { lock (_lock) return _value; } }

    public void Add(double delta) { lock (_lock) _value += delta; }

    public void Set(double value) { lock (_lock) _value = value; }
}

/// <summary>One series of a histogram: per-bucket counts (not yet cumulative), sum and count.</summary>
public sealed class HistogramSeries(LabelSet labels, double[] upperBounds)
{
    private readonly Lock _lock = new();
    private readonly long[] _bucketCounts = new long[upperBounds.Length + 1]; // last one is +Inf
    private double _sum;
    private long _count;

    public LabelSet Labels { get; } = labels;

    public IReadOnlyList<double> UpperBounds { get; } = upperBounds;

    public void Record(double value)
    {
        // Buckets are "less than or equal": a value on a bound belongs to that bound's bucket.
        var index = Array.BinarySearch(upperBounds, value);
        if (index < 0)
            index = ~index;
        lock (_lock)
        {
            _bucketCounts[index]++;
            _sum += value;
            _count++;
        }
    }

    public HistogramSnapshot Snapshot()
    {
        lock (_lock)
        {
            var cumulative = new long[_bucketCounts.Length];
            long running = 0;
            for (var i = 0; i < _bucketCounts.Length; i++)
                cumulative[i] = running += _bucketCounts[i];
            return new HistogramSnapshot(cumulative, _sum, _count);
        }
    }
}

/// <summary>Cumulative bucket counts (last is +Inf), matching <see cref="HistogramSeries.UpperBounds"/>.</summary>
public sealed record HistogramSnapshot(long[] CumulativeCounts, double Sum, long Count);
