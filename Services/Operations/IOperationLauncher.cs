namespace SagaDemo.Services.Operations;

/// <summary>
/// Stores a new pending operation together with the message that starts its work. A durable
/// implementation makes the two one atomic step (operation row and outbox row in one transaction),
/// so a crash cannot leave a stored operation without its message, or a message without its operation.
/// </summary>
public interface IOperationLauncher
{
    /// <summary>
    /// Returns the operation as stored: pending, or failed when its message could not be handed on. When
    /// the store answers with an earlier operation of the same owner and idempotency key (see
    /// <see cref="IOperationStore.AddAsync"/>), returns that one and sends nothing: one key, one saga.
    /// </summary>
    Task<Operation> LaunchAsync<T>(Operation pending, T message, CancellationToken cancellationToken) where T : class;
}
