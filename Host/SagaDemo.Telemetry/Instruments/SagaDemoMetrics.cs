using System.Diagnostics.Metrics;

namespace SagaDemo.Telemetry.Instruments;

/// <summary>
/// The business-level instruments of SagaDemo (meter "SagaDemo.Operations"). Services inject this
/// singleton and report operation lifecycle events; the Host registers a callback per saga that
/// counts instances by state. Exported as sagademo_operations_created_total{type,status},
/// sagademo_operations_completed_total{type,status}, sagademo_operation_duration_seconds{type,status}
/// and sagademo_saga_instances{saga,state}.
/// </summary>
public sealed class SagaDemoMetrics
{
    public const string MeterName = "SagaDemo.Operations";

    /// <summary>End-to-end operations take from tens of milliseconds (cached approval) to the approval timeout.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> _created;
    private readonly Counter<long> _completed;
    private readonly Histogram<double> _duration;
    private readonly Lock _sourcesLock = new();
    private readonly List<(string Saga, Func<IEnumerable<KeyValuePair<string, long>>> CountByState)> _sagaSources = [];

    public SagaDemoMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("sagademo.operations.created", "{operation}",
            "Operations accepted by the API, by type and initial status (pending, or failed when refused at once).");
        _completed = meter.CreateCounter<long>("sagademo.operations.completed", "{operation}",
            "Operations that reached a final status (completed or failed), by type.");
        _duration = meter.CreateHistogram("sagademo.operation.duration", "s",
            "Time from accepting an operation to its final status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        meter.CreateObservableGauge("sagademo.saga.instances", ObserveSagaInstances, "{instance}",
            "Saga instances currently stored, by saga and current state.");
    }

    public void OperationCreated(string type, string status) =>
        _created.Add(1, new("type", type), new("status", status));

    public void OperationCompleted(string type, string status, TimeSpan duration)
    {
        _completed.Add(1, new("type", type), new("status", status));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("type", type), new("status", status));
    }

    /// <summary>
    /// Registers how to count the instances of one saga by state; called at every scrape, so it
    /// should read a cheap in-memory or indexed count.
    /// </summary>
    public void ObserveSagaStates(string saga, Func<IEnumerable<KeyValuePair<string, long>>> countByState)
    {
        lock (_sourcesLock)
            _sagaSources.Add((saga, countByState));
    }

    private IEnumerable<Measurement<long>> ObserveSagaInstances()
    {
        (string Saga, Func<IEnumerable<KeyValuePair<string, long>>> CountByState)[] sources;
        lock (_sourcesLock)
            sources = _sagaSources.ToArray();

        var measurements = new List<Measurement<long>>();
        foreach (var (saga, countByState) in sources)
            foreach (var (state, count) in countByState())
                measurements.Add(new Measurement<long>(count, new("saga", saga), new("state", state)));
        return measurements;
    }
}
