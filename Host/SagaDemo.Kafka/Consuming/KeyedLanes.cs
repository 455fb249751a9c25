using Confluent.Kafka;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// Processes records at most <c>limit</c> at a time, and one at a time per key in arrival order: records of one key
/// (one operation or order) never overtake each other, while different keys run in parallel. A key waits only behind
/// its own records: a slow record holds one slot, not a lane that other keys hash onto. Keyless records go by
/// partition, keeping partition order.
/// </summary>
/// <remarks>
/// Memory follows the records in flight (one entry per busy key), not the limit, so a high limit costs nothing up front;
/// the consume loop bounds what is in flight by pausing its fetch. <c>process</c> must not throw (the consumer's
/// handles every failure itself).
/// </remarks>
sealed class KeyedLanes(int limit, Func<ConsumeResult<string?, byte[]>, Task> process)
{
    readonly Lock _gate = new();
    // Keys with a record running or waiting for a slot, each with its records after that one (null: none yet).
    readonly Dictionary<LaneKey, Queue<ConsumeResult<string?, byte[]>>?> _busy = [];
    // The next record of keys whose turn it is, waiting for a slot, oldest first.
    readonly Queue<ConsumeResult<string?, byte[]>> _ready = new();
    readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _running;
    bool _completing;

    public void Enqueue(ConsumeResult<string?, byte[]> record)
    {
        var key = LaneKey.Of(record);
        lock (_gate)
        {
            if (_completing)
                throw new InvalidOperationException("The lanes are completing and take no more records.");
            if (_busy.TryGetValue(key, out var behind))
            {
                (behind ?? (_busy[key] = new Queue<ConsumeResult<string?, byte[]>>())).Enqueue(record);
                return;
            }
            _busy.Add(key, null);
            if (_running == limit)
            {
                _ready.Enqueue(record);
                return;
            }
            _running++;
        }
        _ = RunAsync(record);
    }

    /// <summary>Accept no more records; completes when every record taken has been processed.</summary>
    public Task CompleteAsync()
    {
        lock (_gate)
        {
            _completing = true;
            if (_running == 0)
                _drained.TrySetResult();
        }
        return _drained.Task;
    }

    /// <summary>Runs records in one slot until no key waits for one: its key's next, or the oldest ready key's.</summary>
    async Task RunAsync(ConsumeResult<string?, byte[]> record)
    {
        // Off the consume loop's thread: process runs synchronously up to its first await.
        await Task.Yield();
        ConsumeResult<string?, byte[]>? current = record;
        while (current is not null)
        {
            try
            {
                await process(current);
            }
            finally
            {
                current = Next(current);
            }
        }
    }

    /// <summary>After <paramref name="finished"/>: its key's next record goes to the back of the ready queue, and the slot takes the front.</summary>
    ConsumeResult<string?, byte[]>? Next(ConsumeResult<string?, byte[]> finished)
    {
        lock (_gate)
        {
            var key = LaneKey.Of(finished);
            if (_busy[key] is { Count: > 0 } behind)
                _ready.Enqueue(behind.Dequeue());
            else
                _busy.Remove(key);
            if (_ready.TryDequeue(out var next))
                return next;
            if (--_running == 0 && _completing)
                _drained.TrySetResult();
            return null;
        }
    }

    /// <summary>A record's key, or for a keyless record its partition.</summary>
    readonly record struct LaneKey(string? Key, int Partition)
    {
        public static LaneKey Of(ConsumeResult<string?, byte[]> record) =>
            record.Message.Key is { } key ? new(key, -1) : new(null, record.Partition.Value);
    }
}
