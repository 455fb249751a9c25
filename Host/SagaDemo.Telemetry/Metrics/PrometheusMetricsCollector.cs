using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SagaDemo.Telemetry.Metrics;

/// <summary>
/// Listens to the selected meters and keeps cumulative state per Prometheus series, the way
/// Prometheus expects to scrape it. Measurements arrive on any thread; a scrape takes a consistent
/// snapshot of observable instruments under a lock.
/// </summary>
public sealed class PrometheusMetricsCollector : IDisposable
{
    private static readonly Dictionary<Type, (MetricKind Kind, MeasurementMode Mode)> InstrumentTypes = new()
    {
        [typeof(Counter<>)] = (MetricKind.Counter, MeasurementMode.Add),
        [typeof(ObservableCounter<>)] = (MetricKind.Counter, MeasurementMode.Set),
        [typeof(UpDownCounter<>)] = (MetricKind.Gauge, MeasurementMode.Add),
        [typeof(ObservableUpDownCounter<>)] = (MetricKind.Gauge, MeasurementMode.Set),
        [typeof(Gauge<>)] = (MetricKind.Gauge, MeasurementMode.Set),
        [typeof(ObservableGauge<>)] = (MetricKind.Gauge, MeasurementMode.Set),
        [typeof(Histogram<>)] = (MetricKind.Histogram, MeasurementMode.Record),
    };

    private readonly PrometheusExporterOptions _options;
    private readonly MeterSelection _selection;
    private readonly object? _ownMeterScope;
    private readonly ConcurrentDictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();
    private readonly Lock _collectLock = new();

    /// <param name="options">Meters to export and naming hooks.</param>
    /// <param name="ownMeterFactory">
    /// The host's IMeterFactory. Meters made by another host's factory in the same process (tests
    /// run several hosts side by side) are ignored, so each /metrics shows only its own host;
    /// static meters and <see cref="PrometheusExporterOptions.ProcessWideMeters"/> are always exported.
    /// </param>
    public PrometheusMetricsCollector(PrometheusExporterOptions options, IMeterFactory? ownMeterFactory = null)
    {
        _options = options;
        _selection = new MeterSelection(options.Meters);
        _ownMeterScope = ownMeterFactory;

        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => Record(s, (double)v, t));
        _listener.Start();
    }

    /// <summary>Runs the observable callbacks and returns every family that has data, ordered by name.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_collectLock)
        {
            foreach (var family in _families.Values)
                family.ForgetObservedSeries();
            _listener.RecordObservableInstruments();
            return _families.Values.Where(f => !f.IsEmpty).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The Prometheus text exposition of everything collected.</summary>
    public string Scrape() => PrometheusTextWriter.Write(Collect());

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_selection.Matches(instrument.Meter.Name) || !IsOwn(instrument.Meter))
            return;
        if (!instrument.GetType().IsGenericType
            || !InstrumentTypes.TryGetValue(instrument.GetType().GetGenericTypeDefinition(), out var type))
            return;

        if (type.Kind == MetricKind.Counter && _options.GaugeInstruments.Contains(instrument.Name))
            type = (MetricKind.Gauge, type.Mode);

        var unit = PrometheusUnit.From(instrument.Unit);
        var exact = _options.ExactNameFor(instrument);
        var name = exact is not null && PrometheusNaming.IsValidMetricName(exact)
            ? exact
            : PrometheusNaming.MetricName(instrument.Name, instrument.Unit, type.Kind);
        var help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
        var bounds = type.Kind == MetricKind.Histogram ? HistogramBuckets.For(instrument, unit) : [];

        var family = _families.GetOrAdd(name, _ => new MetricFamily(name, help, type.Kind, bounds, instrument.IsObservable));
        // One name cannot be two types in Prometheus; the instrument that came first keeps it.
        if (family.Kind != type.Kind)
            return;

        var instrumentTags = instrument.Tags?.ToArray() ?? [];
        listener.EnableMeasurementEvents(instrument, new Binding(family, type.Mode, new LabelSetCache(instrumentTags), unit.Scale));
    }

    private bool IsOwn(Meter meter) =>
        meter.Scope is null || ReferenceEquals(meter.Scope, _ownMeterScope) || _options.ProcessWideMeters.Contains(meter.Name);

    private static void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (state is not Binding binding || double.IsNaN(value))
            return;
        var labels = binding.Labels.Resolve(tags);
        var scaled = value * binding.Scale;
        switch (binding.Mode)
        {
            case MeasurementMode.Add: binding.Family.Add(labels, scaled); break;
            case MeasurementMode.Set: binding.Family.Set(labels, scaled); break;
            case MeasurementMode.Record: binding.Family.Record(labels, scaled); break;
        }
    }

    private enum MeasurementMode { Add, Set, Record }

    private sealed record Binding(MetricFamily Family, MeasurementMode Mode, LabelSetCache Labels, double Scale);
}
