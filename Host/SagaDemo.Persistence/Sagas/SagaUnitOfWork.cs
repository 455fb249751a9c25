using MassTransit;
using SagaDemo.Persistence.Outbox;

namespace SagaDemo.Persistence.Sagas;

/// <summary>
/// Where one delivered message's saga work goes: reads of instances, their writes, and what the saga publishes.
/// Either one transaction of its own (<see cref="TransactionSagaUnitOfWork{TSaga}"/>) or a write set that a group
/// commit writes with other messages' sets (<see cref="GroupedSagaUnitOfWork{TSaga}"/>).
/// </summary>
public abstract class SagaUnitOfWork<TSaga> : IOutgoingMessages
    where TSaga : class, ISagaVersion
{
    public abstract Task<TSaga?> LoadAsync(Guid correlationId, CancellationToken cancellationToken);

    /// <summary>Creates the instance unless one with its id exists (false then).</summary>
    public abstract Task<bool> TryInsertAsync(TSaga saga, CancellationToken cancellationToken);

    /// <summary>Creates the instance; one created concurrently makes this conflict.</summary>
    public abstract Task InsertAsync(TSaga saga, CancellationToken cancellationToken);

    public abstract Task UpdateAsync(TSaga saga, CancellationToken cancellationToken);

    public abstract Task DeleteAsync(TSaga saga, CancellationToken cancellationToken);

    public abstract void AddOutgoing(OutboxMessage message);
}
