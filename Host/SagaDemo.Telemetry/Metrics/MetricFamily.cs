using System.Collections.Concurrent;

namespace SagaDemo.Telemetry.Metrics;

/// <summary>
/// Everything exported under one Prometheus name. Several instruments may feed one family (the same
/// meter created by two libraries, or two instruments mapped to one name); their series add up.
/// </summary>
public sealed class MetricFamily(string name, string help, MetricKind kind, double[] bucketBounds, bool isObservable)
{
    private readonly ConcurrentDictionary<string, ValueSeries> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HistogramSeries> _histograms = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public string Help { get; } = help;

    public MetricKind Kind { get; } = kind;

    /// <summary>Observable instruments report their whole state at each collection.</summary>
    public bool IsObservable { get; } = isObservable;

    public bool IsEmpty => _values.IsEmpty && _histograms.IsEmpty;

    public void Add(LabelSet labels, double delta) => ValueFor(labels).Add(delta);

    public void Set(LabelSet labels, double value) => ValueFor(labels).Set(value);

    public void Record(LabelSet labels, double value) =>
        _histograms.GetOrAdd(labels.Key, _ => new HistogramSeries(labels, bucketBounds)).Record(value);

    /// <summary>
    /// Drops the series of an observable family before a collection, so a series its callback no
    /// longer reports (a saga state with no instances left) disappears instead of going stale.
    /// </summary>
    public void ForgetObservedSeries()
    {
        if (IsObservable)
            _values.Clear();
    }

    public IEnumerable<ValueSeries> Values => _values.Values.OrderBy(s => s.Labels.Key, StringComparer.Ordinal);

    public IEnumerable<HistogramSeries> Histograms => _histograms.Values.OrderBy(s => s.Labels.Key, StringComparer.Ordinal);

    private ValueSeries ValueFor(LabelSet labels) => _values.GetOrAdd(labels.Key, _ => new ValueSeries(labels));
}
