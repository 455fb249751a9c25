using System.Collections.Concurrent;

namespace SagaDemo.Services.Operations;

/// <summary>Operations in process memory, for one-process runs and tests.</summary>
public sealed partial class InMemoryOperationStore : IOperationStore
{
    readonly ConcurrentDictionary<Guid, Operation> _operations = new();
    readonly ConcurrentDictionary<(string Owner, string Key), Guid> _idByKey = new();
    readonly ConcurrentDictionary<string, Queue<Operation>> _refusedByOwner = new();

    public Task<Operation> AddAsync(Operation operation, CancellationToken cancellationToken)
    {
        // Added by id first: a racing add that loses the key below then always finds the winner by id.
        if (!_operations.TryAdd(operation.Id, operation))
            throw new InvalidOperationException($"Operation {operation.Id} already exists.");
        if (operation.IdempotencyKey is { } key)
        {
            var winner = _idByKey.GetOrAdd((operation.Owner ?? "", key), operation.Id);
            if (winner != operation.Id)
            {
                _operations.TryRemove(operation.Id, out _);
                return Task.FromResult(_operations[winner]);
            }
        }
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
                _operations.TryRemove(oldest.Id, out _);
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
                return Task.FromResult<Operation?>(finished);
        }
        return Task.FromResult<Operation?>(null);
    }
}
