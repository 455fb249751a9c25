using System.Collections.Concurrent;
using SagaDemo.Services.Hosting.Retention;
using SagaDemo.Services.Operations.Admission;

namespace SagaDemo.Services.Operations;

/// <summary>Operations in process memory, for one-process runs and tests; finished ones are forgotten after retention.</summary>
public sealed partial class InMemoryOperationStore(TimeProvider? clock = null) : IOperationStore, IPendingOperationCounter, IRetainedStore
{
    readonly TimeProvider _clock = clock ?? TimeProvider.System;
    readonly ConcurrentDictionary<Guid, Operation> _operations = new();
    readonly ConcurrentDictionary<(string Owner, string Key), Guid> _idByKey = new();
    readonly ConcurrentDictionary<string, Queue<Operation>> _refusedByOwner = new();
    readonly InMemoryPendingCount _count = new(clock ?? TimeProvider.System);

    public Task<Operation> AddAsync(Operation operation, CancellationToken cancellationToken)
    {
        var pending = operation.Status == OperationStatus.Pending;
        // Counted before it can be found: a finish racing the add then never uncounts what was not yet counted.
        if (pending)
            _count.Pending(operation);
        // Added by id first: a racing add that loses the key below then always finds the winner by id.
        if (!_operations.TryAdd(operation.Id, operation))
        {
            if (pending)
                _count.Dropped(operation);
            throw new InvalidOperationException($"Operation {operation.Id} already exists.");
        }
        if (operation.IdempotencyKey is { } key)
        {
            var winner = _idByKey.GetOrAdd((operation.Owner ?? "", key), operation.Id);
            if (winner != operation.Id)
            {
                // This exact version, still pending, is uncounted here; one finished meanwhile was uncounted by its finish.
                if (_operations.TryRemove(new KeyValuePair<Guid, Operation>(operation.Id, operation)))
                {
                    if (pending)
                        _count.Dropped(operation);
                }
                else
                    _operations.TryRemove(operation.Id, out _);
                return Task.FromResult(_operations[winner]);
            }
        }
        if (!pending)
            _count.Finished(null, operation);
        if (!OperationTypes.IsRun(operation.Type))
            ForgetOldRefusals(operation);
        return Task.FromResult(operation);
    }

    void ForgetOldRefusals(Operation refused)
    {
        var queue = _refusedByOwner.GetOrAdd(refused.Owner ?? "", _ => new Queue<Operation>());
        lock (queue)
        {
            queue.Enqueue(refused);
            while (queue.Count > IOperationStore.RefusedKeptPerOwner)
            {
                var oldest = queue.Dequeue();
                if (_operations.TryRemove(oldest.Id, out var removed) && removed.Status == OperationStatus.Pending)
                    _count.Dropped(removed);
                if (oldest.IdempotencyKey is { } key)
                    _idByKey.TryRemove(new KeyValuePair<(string, string), Guid>((oldest.Owner ?? "", key), oldest.Id));
            }
        }
    }

    public Task<Operation?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(_operations.GetValueOrDefault(id));

    public Task<Operation?> FinishAsync(Guid id, OperationOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken)
    {
        while (_operations.TryGetValue(id, out var current))
        {
            if (current.Status != OperationStatus.Pending)
                return Task.FromResult<Operation?>(current);

            var finished = current with
            {
                Status = outcome.Status,
                Result = outcome.Result,
                Error = outcome.Error,
                SubjectId = outcome.SubjectId ?? current.SubjectId,
                UpdatedAt = at,
            };
            // Compare-and-swap: of two racing completions exactly one wins.
            if (_operations.TryUpdate(id, finished, current))
            {
                _count.Finished(current, finished);
                return Task.FromResult<Operation?>(finished);
            }
        }
        return Task.FromResult<Operation?>(null);
    }

    /// <summary>
    /// For admission control (twice a second): kept as operations change (<see cref="InMemoryPendingCount"/>), so it costs
    /// the same however many finished operations retention holds; a finished window longer than the kept finishes
    /// (<see cref="InMemoryPendingCount.FinishedKept"/>) takes one pass over the operations held.
    /// </summary>
    public Task<PendingOperations> CountPendingAsync(TimeSpan finishedWindow, CancellationToken cancellationToken) =>
        Task.FromResult(finishedWindow <= InMemoryPendingCount.FinishedKept
            ? _count.Count(finishedWindow, Holds)
            : CountByPass(finishedWindow));

    /// <summary>Whether this exact version of an operation is still held (not forgotten, not replaced).</summary>
    bool Holds(Operation operation) => ReferenceEquals(_operations.GetValueOrDefault(operation.Id), operation);

    PendingOperations CountByPass(TimeSpan finishedWindow)
    {
        var since = _clock.GetUtcNow() - finishedWindow;
        var byOwner = new Dictionary<string, int>(StringComparer.Ordinal);
        int total = 0, finished = 0;
        foreach (var operation in _operations.Values)
            if (operation.Status == OperationStatus.Pending)
            {
                total++;
                byOwner[operation.Owner ?? ""] = byOwner.GetValueOrDefault(operation.Owner ?? "") + 1;
            }
            else if (operation.UpdatedAt >= since)
                finished++;
        return new PendingOperations(total, byOwner, finished, finishedWindow);
    }

    public string Name => "operations";

    /// <summary>Forgets operations finished before <paramref name="olderThan"/>, and their idempotency keys; pending ones stay.</summary>
    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var (id, operation) in _operations)
        {
            if (operation.Status == OperationStatus.Pending || operation.UpdatedAt >= olderThan)
                continue;
            // Only this exact version: one finished meanwhile by another thread is looked at next time.
            if (!_operations.TryRemove(new KeyValuePair<Guid, Operation>(id, operation)))
                continue;
            if (operation.IdempotencyKey is { } key)
                _idByKey.TryRemove(new KeyValuePair<(string, string), Guid>((operation.Owner ?? "", key), id));
            removed++;
        }
        return Task.FromResult(removed);
    }
}
