using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Retention;
using SagaDemo.Persistence.Schema;
using SagaDemo.Services.Hosting.Retention;

namespace SagaDemo.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>The shared <see cref="NpgsqlDataSource"/> (connection pool) and the <see cref="SchemaMigrator"/>.</summary>
    public static IServiceCollection AddSagaDemoPostgres(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(WithPoolTuning(connectionString)));
        services.TryAddSingleton<GroupCommitters>();
        services.TryAddSingleton(sp => new SchemaMigrator(sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetService<ILogger<SchemaMigrator>>()));
        return services;
    }

    /// <summary>
    /// Pool settings of the hot path, unless the connection string says otherwise. <c>Max Auto Prepare=64</c>: every hot
    /// statement is the same text each time, so Npgsql prepares it per connection (parsed and planned once).
    /// <c>No Reset On Close=true</c>: a connection going back to the pool is not reset (Npgsql would send
    /// <c>DISCARD ALL</c> or its parts with the next use, about 17 per saga in durable mode). Nothing here leaves session
    /// state behind: transactions end before a connection returns, advisory locks are transaction-scoped, and the outbox
    /// relay's listener says <c>UNLISTEN</c> before it gives its connection back.
    /// </summary>
    public static string WithPoolTuning(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(connectionString, "Max Auto Prepare"))
            builder.MaxAutoPrepare = 64;
        if (!Names(connectionString, "No Reset On Close"))
            builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    // NpgsqlConnectionStringBuilder.ContainsKey answers whether a keyword is valid, not whether the string sets it, so
    // the string's own keys are read (spaces and case aside, as Npgsql compares them).
    static bool Names(string connectionString, string keyword)
    {
        static string Normal(string key) => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.Keys.Cast<string>().Any(k => Normal(k) == Normal(keyword));
    }

    /// <summary>
    /// Migrates <paramref name="schemas"/> while the host starts, before the bus and the relays run, or (with
    /// <see cref="SchemaStartMode.WaitForMigration"/>) waits there until they have been migrated by someone else.
    /// </summary>
    public static IServiceCollection AddSchemaMigrationOnStart(this IServiceCollection services, IReadOnlyList<SchemaDefinition> schemas,
        SchemaStartMode mode = SchemaStartMode.Migrate)
    {
        services.AddSingleton<IHostedService>(sp => new SchemaMigrationService(sp.GetRequiredService<SchemaMigrator>(), schemas, mode,
            sp.GetService<ILogger<SchemaMigrationService>>()));
        return services;
    }

    /// <summary>
    /// Runs a relay for <paramref name="schema"/>'s outbox in the background, delivering to the
    /// registered <see cref="IOutboxSink"/>. Call once per schema whose outbox this process drains.
    /// </summary>
    public static IServiceCollection AddOutboxRelay(this IServiceCollection services, string schema,
        Action<OutboxRelayOptions>? configure = null)
    {
        var options = new OutboxRelayOptions();
        configure?.Invoke(options);
        // Not AddHostedService: that dedupes by type and would keep only the first schema's relay.
        services.AddSingleton<IHostedService>(sp => new OutboxRelayService(new OutboxRelay(
            sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOutboxSink>(), options,
            sp.GetService<ILogger<OutboxRelay>>())));
        return services;
    }

    /// <summary>Prunes what retention allows in <paramref name="schemas"/> (section <c>Retention</c>).</summary>
    public static IServiceCollection AddRetentionPruning(this IServiceCollection services, IConfiguration configuration,
        IEnumerable<string> schemas)
    {
        services.Configure<RetentionOptions>(configuration.GetSection(RetentionOptions.Section));
        IReadOnlyList<PrunableTable> tables = [.. schemas.SelectMany(PrunableTable.Of)];
        services.AddSingleton<IHostedService>(sp => new RetentionService(sp.GetRequiredService<NpgsqlDataSource>(), tables,
            sp.GetRequiredService<IOptions<RetentionOptions>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<RetentionService>>()));
        return services;
    }
}
