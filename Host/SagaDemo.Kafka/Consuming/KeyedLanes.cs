using System.Threading.Channels;
using Confluent.Kafka;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// A fixed number of lanes, each processing its records one at a time, in arrival order. A record's lane
/// follows from its key, so records of one key (one operation or order) never overtake each other while
/// different keys run in parallel. Keyless records go by partition, keeping partition order.
/// </summary>
sealed class KeyedLanes
{
    readonly Channel<ConsumeResult<string?, byte[]>>[] _lanes;
    readonly Task[] _workers;

    public KeyedLanes(int count, Func<ConsumeResult<string?, byte[]>, Task> process)
    {
        _lanes = new Channel<ConsumeResult<string?, byte[]>>[count];
        _workers = new Task[count];
        for (var i = 0; i < count; i++)
        {
            // Unbounded per lane: the consume loop bounds the total in flight by pausing its fetch.
            var lane = _lanes[i] = Channel.CreateUnbounded<ConsumeResult<string?, byte[]>>(
                new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            _workers[i] = Task.Run(async () =>
            {
                await foreach (var record in lane.Reader.ReadAllAsync())
                    await process(record);
            });
        }
    }

    public void Enqueue(ConsumeResult<string?, byte[]> record) => _lanes[LaneOf(record)].Writer.TryWrite(record);

    /// <summary>Accept no more records; completes when every lane processed what it holds.</summary>
    public Task CompleteAsync()
    {
        foreach (var lane in _lanes)
            lane.Writer.TryComplete();
        return Task.WhenAll(_workers);
    }

    int LaneOf(ConsumeResult<string?, byte[]> record)
    {
        var hash = record.Message.Key is { } key ? StableHash(key) : (uint)record.Partition.Value;
        return (int)(hash % (uint)_lanes.Length);
    }

    // FNV-1a: the same key maps to the same lane for the life of the process (string.GetHashCode would too,
    // but this one is also stable across runs, which makes lane assignment reproducible when debugging).
    static uint StableHash(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
            hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
