using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Topology;
using SagaDemo.Services.Operations;

namespace SagaDemo.Host.Operations;

/// <summary>
/// The in-memory launcher when its publishes go to Kafka: the operation's owner goes into the record's client-id
/// header (and under the api's signature) through <see cref="AmbientRecordHeaders"/>, because the launcher's own
/// Publish callback runs only after the rider produced the record. The PostgreSQL launcher needs no help: its
/// outbox row keeps the header, and the outbox sink writes it.
/// </summary>
public sealed class ClientStampingLauncher(IOperationLauncher inner) : IOperationLauncher
{
    public async Task<Operation> LaunchAsync<T>(Operation pending, T message, CancellationToken cancellationToken) where T : class
    {
        if (pending.Owner is not { } owner)
            return await inner.LaunchAsync(pending, message, cancellationToken);
        using (AmbientRecordHeaders.Set(KafkaHeaderNames.ClientId, owner))
            return await inner.LaunchAsync(pending, message, cancellationToken);
    }
}
