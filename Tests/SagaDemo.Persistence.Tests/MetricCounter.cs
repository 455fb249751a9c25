using System.Diagnostics.Metrics;

namespace SagaDemo.Persistence.Tests;

/// <summary>Sums one counter of <see cref="PersistenceMetrics"/> while alive (tests of one collection run one at a time).</summary>
public sealed class MetricCounter : IDisposable
{
    readonly MeterListener _listener = new();
    long _count;

    public MetricCounter(string instrumentName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PersistenceMetrics.MeterName && instrument.Name == instrumentName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
