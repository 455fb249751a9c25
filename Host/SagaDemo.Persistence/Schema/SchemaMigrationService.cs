using Microsoft.Extensions.Hosting;

namespace SagaDemo.Persistence.Schema;

/// <summary>
/// Brings the process's schemas up to date while the host is starting, before any hosted service
/// (bus, relays, watchers) starts: <see cref="IHostedLifecycleService.StartingAsync"/> runs for every
/// service ahead of all StartAsync calls, whatever the registration order. Idempotent and safe with
/// several replicas starting at once (see <see cref="SchemaMigrator"/>).
/// </summary>
public sealed class SchemaMigrationService(SchemaMigrator migrator, IReadOnlyList<SchemaDefinition> schemas) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(schemas, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
