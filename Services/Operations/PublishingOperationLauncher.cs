using MassTransit;
using SagaDemo.Contracts;

namespace SagaDemo.Services.Operations;

/// <summary>
/// The in-memory launcher: stores the operation, then publishes. Stored first, so a reply can never
/// arrive for an operation the store does not know yet; a failed publish fails the operation instead
/// of leaving it pending forever. A repeated idempotency key finds the earlier operation and publishes nothing.
/// </summary>
public sealed class PublishingOperationLauncher(
    IOperationStore store, IPublishEndpoint publisher, TimeProvider clock, ILogger<PublishingOperationLauncher> logger)
    : IOperationLauncher
{
    public async Task<Operation> LaunchAsync<T>(Operation pending, T message, CancellationToken cancellationToken) where T : class
    {
        var stored = await store.AddAsync(pending, cancellationToken);
        if (stored.Id != pending.Id)
            return stored;
        try
        {
            // Whose operation it is travels with the message (signed with the record), for whoever keeps what it creates.
            await publisher.Publish(message, context =>
            {
                if (pending.Owner is { } owner)
                    context.Headers.Set(ContractHeaders.ClientId, owner);
            }, cancellationToken);
            return pending;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Publishing {Type} for operation {OperationId} failed", pending.Type, pending.Id);
            var failed = new OperationOutcome(OperationStatus.Failed, null, OperationSubmitter.NotSubmittedError, null);
            return await store.FinishAsync(pending.Id, failed, clock.GetUtcNow(), CancellationToken.None) ?? pending;
        }
    }
}
