using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace SagaDemo.Persistence.Schema;

/// <summary>
/// Brings schemas up to date: creates the schema and its <c>schema_migrations</c> table, then applies the
/// migrations not recorded there, in order, in one transaction per schema. Safe to run from every
/// starting replica at once: a transaction-scoped advisory lock per schema makes the others wait and
/// then find nothing left to do.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator>? logger = null)
{
    readonly ILogger _logger = logger ?? NullLogger<SchemaMigrator>.Instance;

    public async Task MigrateAsync(IEnumerable<SchemaDefinition> schemas, CancellationToken cancellationToken = default)
    {
        foreach (var schema in schemas)
            await MigrateAsync(schema, cancellationToken);
    }

    /// <summary>Returns the versions this call applied (empty when the schema was already current).</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(SchemaDefinition schema, CancellationToken cancellationToken = default)
    {
        var s = SqlIdentifier.Validate(schema.Name, "schema");
        Validate(schema);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await Execute(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext('sagademo.migrate:' || @schema))",
            cancellationToken, ("schema", s));
        await Execute(connection, transaction, $"""
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.schema_migrations (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now());
            """, cancellationToken);

        var applied = new HashSet<int>();
        await using (var command = new NpgsqlCommand($"SELECT version FROM {s}.schema_migrations", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                applied.Add(reader.GetInt32(0));

        var newlyApplied = new List<int>();
        foreach (var migration in schema.Migrations.OrderBy(m => m.Version))
        {
            if (applied.Contains(migration.Version))
                continue;
            await Execute(connection, transaction, migration.Sql, cancellationToken);
            await Execute(connection, transaction, $"INSERT INTO {s}.schema_migrations (version, name) VALUES (@version, @name)",
                cancellationToken, ("version", migration.Version), ("name", migration.Name));
            newlyApplied.Add(migration.Version);
            _logger.LogInformation("Schema {Schema}: applied migration {Version} ({Name})", s, migration.Version, migration.Name);
        }

        await transaction.CommitAsync(cancellationToken);
        return newlyApplied;
    }

    /// <summary>
    /// The versions of <paramref name="schema"/> not yet applied (all of them when the schema or its
    /// migrations table does not exist). Reads only: for processes that leave migrating to someone else.
    /// </summary>
    public async Task<IReadOnlyList<int>> PendingVersionsAsync(SchemaDefinition schema, CancellationToken cancellationToken = default)
    {
        var s = SqlIdentifier.Validate(schema.Name, "schema");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var applied = new HashSet<int>();
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("table", $"{s}.schema_migrations");
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                return schema.Migrations.Select(m => m.Version).Order().ToList();
        }
        await using (var command = new NpgsqlCommand($"SELECT version FROM {s}.schema_migrations", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                applied.Add(reader.GetInt32(0));
        return schema.Migrations.Select(m => m.Version).Where(v => !applied.Contains(v)).Order().ToList();
    }

    static void Validate(SchemaDefinition schema)
    {
        var duplicate = schema.Migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Schema {schema.Name} defines migration version {duplicate.Key} twice.", nameof(schema));
        if (schema.Migrations.Any(m => m.Version <= 0))
            throw new ArgumentException($"Schema {schema.Name}: migration versions start at 1.", nameof(schema));
    }

    static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
