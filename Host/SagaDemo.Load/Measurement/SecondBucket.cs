namespace SagaDemo.Load.Measurement;

/// <summary>What happened in one second of the measured window (events are placed by when they happened).</summary>
public sealed class SecondBucket
{
    public long Sent;
    public long Accepted;
    public long Rejected;
    /// <summary>Creates answered 503/429 (each answer, so a create shed twice counts twice).</summary>
    public long Shed;
    public long Completed;
    public long Failed;
    public long MaxInFlight;
    public long EstimatedKafkaEvents;
    /// <summary>The target's resident set (VmRSS) at its last reading in this second; 0 when not read.</summary>
    public long TargetRssKiB;
    public readonly List<double> Latencies = [];
}
