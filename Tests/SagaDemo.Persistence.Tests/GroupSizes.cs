using System.Diagnostics.Metrics;

namespace SagaDemo.Persistence.Tests;

/// <summary>Records of the group-size histogram while alive: how many transactions, carrying how many sets.</summary>
public sealed class GroupSizes : IDisposable
{
    readonly MeterListener _listener = new();
    long _total;
    long _transactions;

    public GroupSizes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PersistenceMetrics.MeterName && instrument.Name == "sagademo.group_commit.size")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((_, value, _, _) =>
        {
            Interlocked.Add(ref _total, value);
            Interlocked.Increment(ref _transactions);
        });
        _listener.Start();
    }

    public long Total => Interlocked.Read(ref _total);
    public long Transactions => Interlocked.Read(ref _transactions);

    public void Dispose() => _listener.Dispose();
}
