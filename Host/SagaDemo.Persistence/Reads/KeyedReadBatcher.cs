using System.Collections.Concurrent;

namespace SagaDemo.Persistence.Reads;

/// <summary>
/// Reads by key that arrive while earlier ones are in flight share one query: at most <c>maxInFlight</c> queries run at
/// once, and each takes every key waiting when it starts (up to <c>maxBatch</c>). A key read alone on an idle store
/// starts its query at once, so batching adds no wait; under load a status poll costs a fraction of a statement.
/// Every read is answered by a query that started after the read was asked, so it sees everything committed before.
/// </summary>
/// <param name="readMany">One query for the given distinct keys; a key it leaves out has no value (null).</param>
public sealed class KeyedReadBatcher<TKey, TValue>(
    Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> readMany,
    int maxInFlight = 2, int maxBatch = 256)
    where TKey : notnull
    where TValue : class
{
    readonly ConcurrentQueue<(TKey Key, TaskCompletionSource<TValue?> Answer)> _waiting = new();
    int _inFlight;

    public Task<TValue?> ReadAsync(TKey key, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<TValue?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Enqueue((key, answer));
        TryStartQuery();
        // A caller that gives up stops waiting; the query it joined still answers the others.
        return answer.Task.WaitAsync(cancellationToken);
    }

    void TryStartQuery()
    {
        while (true)
        {
            var inFlight = Volatile.Read(ref _inFlight);
            if (inFlight >= maxInFlight || _waiting.IsEmpty)
                return;
            if (Interlocked.CompareExchange(ref _inFlight, inFlight + 1, inFlight) == inFlight)
            {
                _ = RunQueriesAsync();
                return;
            }
        }
    }

    async Task RunQueriesAsync()
    {
        try
        {
            var batch = new List<(TKey Key, TaskCompletionSource<TValue?> Answer)>();
            while (true)
            {
                batch.Clear();
                while (batch.Count < maxBatch && _waiting.TryDequeue(out var read))
                    batch.Add(read);
                if (batch.Count == 0)
                    return;
                await AnswerAsync(batch);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            // A read queued after the last look but before the decrement found no free slot: start it now.
            TryStartQuery();
        }
    }

    async Task AnswerAsync(List<(TKey Key, TaskCompletionSource<TValue?> Answer)> batch)
    {
        try
        {
            var keys = batch.Select(read => read.Key).Distinct().ToList();
            var values = await readMany(keys, CancellationToken.None);
            foreach (var (key, answer) in batch)
                answer.TrySetResult(values.TryGetValue(key, out var value) ? value : null);
        }
        catch (Exception e)
        {
            foreach (var (_, answer) in batch)
                answer.TrySetException(e);
        }
    }
}
