using Microsoft.Extensions.Hosting;

namespace SagaDemo.Persistence.Outbox;

/// <summary>Runs one <see cref="OutboxRelay"/> for the host's lifetime.</summary>
public sealed class OutboxRelayService(OutboxRelay relay) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => relay.RunAsync(stoppingToken);
}
