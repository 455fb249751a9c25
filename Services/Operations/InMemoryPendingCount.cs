using SagaDemo.Services.Operations.Admission;

namespace SagaDemo.Services.Operations;

/// <summary>
/// What admission control asks of <see cref="InMemoryOperationStore"/>, kept as operations are added, finished and
/// forgotten. Counting by a pass over every operation held grew with the store's age (finished operations are kept for
/// the retention period, 7 days by default) and ran twice a second: 4.5 % of an aged host's CPU samples. Pending
/// operations are counted per owner; finished ones are kept in order of their <see cref="Operation.UpdatedAt"/> for
/// <see cref="FinishedKept"/>, so a finished window up to that long is answered from them. One lock: an add or a finish
/// costs a few integer updates and a heap insert.
/// </summary>
sealed class InMemoryPendingCount(TimeProvider clock)
{
    /// <summary>The longest finished window answered here (admission's sampler asks for 5 s); a longer one needs a pass.</summary>
    public static readonly TimeSpan FinishedKept = TimeSpan.FromMinutes(1);

    readonly object _gate = new();
    readonly Dictionary<string, int> _pendingByOwner = new(StringComparer.Ordinal);
    int _pending;
    // Finished (or stored already finished) operations by UpdatedAt, oldest first; a forgotten one is skipped when counted.
    readonly PriorityQueue<Operation, DateTimeOffset> _finished = new();

    /// <summary>A pending operation about to be stored.</summary>
    public void Pending(Operation operation)
    {
        lock (_gate)
            Add(operation.Owner ?? "", 1);
    }

    /// <summary>A pending operation that is no longer held (its add lost, or it was forgotten while pending).</summary>
    public void Dropped(Operation pending)
    {
        lock (_gate)
            Add(pending.Owner ?? "", -1);
    }

    /// <summary><paramref name="finished"/> replaced <paramref name="pending"/> (null: it was stored finished).</summary>
    public void Finished(Operation? pending, Operation finished)
    {
        var keepFrom = clock.GetUtcNow() - FinishedKept;
        lock (_gate)
        {
            if (pending is not null)
                Add(pending.Owner ?? "", -1);
            if (finished.UpdatedAt >= keepFrom)
                _finished.Enqueue(finished, finished.UpdatedAt);
            // Also here, not only when counted: with admission control off nobody counts, and the heap must not grow.
            Forget(keepFrom);
        }
    }

    /// <summary>
    /// The count for a window of at most <see cref="FinishedKept"/>. <paramref name="held"/> tells whether a finished
    /// operation is still the store's (not forgotten by retention or as an old refusal).
    /// </summary>
    public PendingOperations Count(TimeSpan finishedWindow, Func<Operation, bool> held)
    {
        var now = clock.GetUtcNow();
        var since = now - finishedWindow;
        lock (_gate)
        {
            Forget(now - FinishedKept);
            var finished = 0;
            foreach (var (operation, updatedAt) in _finished.UnorderedItems)
                if (updatedAt >= since && held(operation))
                    finished++;
            return new PendingOperations(_pending, new Dictionary<string, int>(_pendingByOwner, StringComparer.Ordinal),
                finished, finishedWindow);
        }
    }

    void Add(string owner, int n)
    {
        _pending += n;
        var held = _pendingByOwner.GetValueOrDefault(owner) + n;
        // Only owners with pending work are listed, as a pass over the operations would find them.
        if (held == 0)
            _pendingByOwner.Remove(owner);
        else
            _pendingByOwner[owner] = held;
    }

    void Forget(DateTimeOffset keepFrom)
    {
        while (_finished.TryPeek(out _, out var updatedAt) && updatedAt < keepFrom)
            _finished.Dequeue();
    }
}
