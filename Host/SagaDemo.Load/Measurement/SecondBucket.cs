namespace SagaDemo.Load.Measurement;

/// <summary>What happened in one second of the measured window (events are placed by when they happened).</summary>
public sealed class SecondBucket
{
    public long Sent;
    public long Accepted;
    public long Rejected;
    public long Completed;
    public long Failed;
    public long MaxInFlight;
    public long EstimatedKafkaEvents;
    public readonly List<double> Latencies = [];
}
