using System.Collections.Concurrent;

namespace SagaDemo.Services.Operations;

/// <summary>Operations in process memory, for one-process runs and tests.</summary>
public sealed class InMemoryOperationStore : IOperationStore
{
    readonly ConcurrentDictionary<Guid, Operation> _operations = new();

    public Task AddAsync(Operation operation, CancellationToken cancellationToken)
    {
        if (!_operations.TryAdd(operation.Id, operation))
            throw new InvalidOperationException($"Operation {operation.Id} already exists.");
        return Task.CompletedTask;
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
