using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SagaDemo.Sagas.Tests.Support;

/// <summary>Records every measurement of one instrument of one meter instance.</summary>
public sealed class InstrumentRecorder<T> : IDisposable where T : struct
{
    readonly MeterListener _listener = new();

    public InstrumentRecorder(Meter meter, string instrumentName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == instrumentName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<T>((_, value, tags, _) =>
            Measurements.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.Start();
    }

    public ConcurrentBag<(T Value, Dictionary<string, object?> Tags)> Measurements { get; } = [];

    public void Dispose() => _listener.Dispose();
}
