using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace SagaDemo.Persistence.Schema;

/// <summary>
/// Makes sure the process's schemas are current while the host is starting, before any hosted service
/// (bus, relays, watchers) starts: <see cref="IHostedLifecycleService.StartingAsync"/> runs for every
/// service ahead of all StartAsync calls, whatever the registration order.
/// <see cref="SchemaStartMode.Migrate"/> applies what is missing (idempotent and safe with several replicas
/// starting at once, see <see cref="SchemaMigrator"/>); <see cref="SchemaStartMode.WaitForMigration"/> changes
/// nothing and waits until someone else (the <c>migrate</c> command, e.g. the Helm chart's Job) has applied
/// every migration this build knows, so no consumer ever runs against an older schema.
/// </summary>
public sealed class SchemaMigrationService(SchemaMigrator migrator, IReadOnlyList<SchemaDefinition> schemas, SchemaStartMode mode,
    ILogger<SchemaMigrationService>? logger = null) : IHostedLifecycleService
{
    static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);
    readonly ILogger _logger = logger ?? NullLogger<SchemaMigrationService>.Instance;

    public Task StartingAsync(CancellationToken cancellationToken) => mode == SchemaStartMode.Migrate
        ? migrator.MigrateAsync(schemas, cancellationToken)
        : WaitUntilMigratedAsync(cancellationToken);

    async Task WaitUntilMigratedAsync(CancellationToken cancellationToken)
    {
        var nextReport = DateTime.UtcNow;
        while (true)
        {
            string missing;
            try
            {
                var pending = new List<string>();
                foreach (var schema in schemas)
                    if (await migrator.PendingVersionsAsync(schema, cancellationToken) is { Count: > 0 } versions)
                        pending.Add($"{schema.Name} {string.Join(", ", versions)}");
                if (pending.Count == 0)
                    return;
                missing = "migrations not applied yet: " + string.Join("; ", pending);
            }
            catch (NpgsqlException e)
            {
                missing = "database not reachable: " + e.Message;
            }
            if (DateTime.UtcNow >= nextReport)
            {
                _logger.LogWarning("Waiting for the schema migrations (Postgres:MigrateOnStart is false; run the migrate command): {Missing}", missing);
                nextReport = DateTime.UtcNow + ReportInterval;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What a starting process does about its schemas.</summary>
public enum SchemaStartMode
{
    /// <summary>Apply missing migrations (local runs; several replicas may do it at once).</summary>
    Migrate,

    /// <summary>Apply nothing; wait until every migration is applied by the <c>migrate</c> command.</summary>
    WaitForMigration,
}
