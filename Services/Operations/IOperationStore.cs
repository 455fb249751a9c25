namespace SagaDemo.Services.Operations;

/// <summary>Where operations live. Implementations must make <see cref="FinishAsync"/> first-writer-wins.</summary>
public interface IOperationStore
{
    /// <summary>
    /// Refused operations (types the API does not run, <see cref="OperationTypes.IsRun"/>) kept per owner: the newest,
    /// so a client of the original demo still reads back what it just sent, while a stream of made-up names cannot
    /// grow the store.
    /// </summary>
    public const int RefusedKeptPerOwner = 100;

    /// <summary>
    /// Stores a new operation and returns the operation as stored. When <see cref="Operation.IdempotencyKey"/>
    /// is set and its <see cref="Operation.Owner"/> already has an operation under that key, nothing is stored
    /// and that earlier operation is returned (compare ids to tell): atomically, so of concurrent adds with one
    /// key exactly one stores. Ids are fresh UUIDs, so an existing id is a bug and throws. Storing a refused
    /// operation drops its owner's refusals beyond the newest <see cref="RefusedKeptPerOwner"/>.
    /// </summary>
    Task<Operation> AddAsync(Operation operation, CancellationToken cancellationToken);

    Task<Operation?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a pending operation with <paramref name="outcome"/>. An operation that already ended is
    /// left as it is (a redelivered reply changes nothing). Returns the stored operation, or null
    /// when the id is unknown; its <see cref="Operation.UpdatedAt"/> equals <paramref name="at"/>
    /// exactly when this call finished it.
    /// </summary>
    Task<Operation?> FinishAsync(Guid id, OperationOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken);
}
