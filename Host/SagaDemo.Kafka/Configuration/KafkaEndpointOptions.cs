namespace SagaDemo.Kafka.Configuration;

/// <summary><c>Kafka:Endpoints:&lt;group&gt;</c>: how one consumer group's loop runs.</summary>
public sealed class KafkaEndpointOptions
{
    /// <summary>Records processed at once; those with the same key one at a time, in order (a keyless record's key is its partition).</summary>
    public int Concurrency { get; set; } = 64;

    /// <summary>Records fetched but not finished; at this bound the loop pauses fetching.</summary>
    public int MaxInFlight { get; set; } = 2000;

    /// <summary>Bytes (values and keys) of records fetched but not finished; at this bound the loop pauses fetching too.</summary>
    public long MaxInFlightBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Commit finished offsets at least this often...</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>...or after this many finished records, whichever comes first.</summary>
    public int CheckpointCount { get; set; } = 500;

    /// <summary>An unpaused partition with records waiting that delivers none for this long gets its fetch restarted.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
