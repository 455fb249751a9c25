using Npgsql;
using SagaDemo.Persistence.Schema;
using SagaDemo.Testing;

namespace SagaDemo.Persistence.Tests.Security;

/// <summary>
/// Per-service database logins, set up by the real <c>migrate</c> command against a real PostgreSQL that checks
/// passwords (SCRAM-SHA-256): the way the Helm chart's migration Job runs it, with a DDL login that owns the schemas,
/// the server's superuser to create the services' logins, and one connection string per service.
/// </summary>
public sealed class RoleLoginTests : IAsyncLifetime
{
    const string Database = "chartsec_logins";
    const string Owner = "sagademo";
    PostgresServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartNewAsync(passwordAuthentication: true);
        // What the database's owner (the bundled chart's initdb, or the operator) provides: the DDL login and its database.
        await ExecuteAsync(_server.ConnectionString, $"CREATE ROLE {Owner} LOGIN PASSWORD 'owner-secret-1'", $"CREATE DATABASE {Database} OWNER {Owner}");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    string Login(string user, string password) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = _server.Port, Database = Database, Username = user, Password = password, Pooling = false,
    }.ConnectionString;

    Task<ProcessRunner.Result> MigrateAsync(IReadOnlyDictionary<string, string?> logins, bool withAdmin = true)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = Login(Owner, "owner-secret-1"),
            ["Postgres__AdminConnectionString"] = withAdmin ? _server.ConnectionString : null,
        };
        foreach (var (role, connectionString) in logins)
            environment[$"Postgres__Logins__{role}"] = connectionString;
        return ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "SagaDemo.Host.dll"), "migrate"],
            AppContext.BaseDirectory, TimeSpan.FromSeconds(60), environment: environment);
    }

    [Fact]
    public async Task A_services_login_reads_and_writes_its_own_schema_and_is_refused_everywhere_else()
    {
        var api = Login("sagademo_api", "api-secret-1");
        var users = Login("sagademo_users", "users-secret-1");
        var migrate = await MigrateAsync(new Dictionary<string, string?> { ["api"] = api, ["users"] = users });
        Assert.True(migrate.ExitCode == 0, migrate.Output);
        Assert.Contains("login sagademo_api (api): created", migrate.Output);
        Assert.Contains("operations: login sagademo_api may read and write its tables, nothing else", migrate.Output);
        Assert.DoesNotContain("api-secret-1", migrate.Output);

        // Its own tables: every DML statement, the outbox's sequence included.
        await ExecuteAsync(api,
            "INSERT INTO operations.inbox (consumer, message_id) VALUES ('c', gen_random_uuid())",
            "UPDATE operations.inbox SET consumer = 'd'",
            "INSERT INTO operations.outbox (message_id, destination, message_type, body) VALUES (gen_random_uuid(), 'd', 't', '{}')",
            "SELECT count(*) FROM operations.outbox",
            "DELETE FROM operations.inbox",
            "SELECT count(*) FROM operations.schema_migrations");
        // Another service's schema, DDL of any kind, and the migration record.
        await AssertRefusedAsync(api, "SELECT count(*) FROM users.users");
        await AssertRefusedAsync(api, "INSERT INTO users.inbox (consumer, message_id) VALUES ('c', gen_random_uuid())");
        await AssertRefusedAsync(api, "CREATE TABLE operations.extra (id int)");
        await AssertRefusedAsync(api, "ALTER TABLE operations.inbox ADD COLUMN extra int");
        await AssertRefusedAsync(api, "DROP TABLE operations.outbox");
        await AssertRefusedAsync(api, "TRUNCATE operations.inbox");
        await AssertRefusedAsync(api, "CREATE SCHEMA extra");
        await AssertRefusedAsync(api, "CREATE TABLE public.extra (id int)");
        await AssertRefusedAsync(api, "INSERT INTO operations.schema_migrations (version, name) VALUES (999, 'forged')");
        await AssertRefusedAsync(users, "SELECT count(*) FROM operations.operations");
        await ExecuteAsync(users, "SELECT count(*) FROM users.users");

        // A table a later migration adds is usable without another grant (default privileges of the owner).
        await ExecuteAsync(Login(Owner, "owner-secret-1"), "CREATE TABLE operations.later (id bigserial PRIMARY KEY, note text)");
        await ExecuteAsync(api, "INSERT INTO operations.later (note) VALUES ('x')");
    }

    [Fact]
    public async Task Migrate_again_sets_a_rotated_password_and_the_old_one_stops_working()
    {
        Assert.Equal(0, (await MigrateAsync(new Dictionary<string, string?> { ["payment"] = Login("sagademo_payment", "payment-secret-1") })).ExitCode);
        var rotated = await MigrateAsync(new Dictionary<string, string?> { ["payment"] = Login("sagademo_payment", "payment-secret-2") });
        Assert.True(rotated.ExitCode == 0, rotated.Output);
        Assert.Contains("login sagademo_payment (payment): password set", rotated.Output);
        Assert.Contains("payment: up to date", rotated.Output);

        var old = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(Login("sagademo_payment", "payment-secret-1"), "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, old.SqlState);
        await ExecuteAsync(Login("sagademo_payment", "payment-secret-2"), "SELECT count(*) FROM payment.inbox");
    }

    [Fact]
    public async Task Without_the_admin_it_grants_to_existing_logins_and_names_a_missing_one()
    {
        await ExecuteAsync(_server.ConnectionString, "CREATE ROLE sagademo_stats LOGIN PASSWORD 'stats-secret-1'");
        var granted = await MigrateAsync(new Dictionary<string, string?> { ["statistics"] = Login("sagademo_stats", "ignored") }, withAdmin: false);
        Assert.True(granted.ExitCode == 0, granted.Output);
        await ExecuteAsync(Login("sagademo_stats", "stats-secret-1"), "SELECT count(*) FROM statistics.inbox");

        var missing = await MigrateAsync(new Dictionary<string, string?> { ["warehouse"] = Login("sagademo_nobody", "x") }, withAdmin: false);
        Assert.Equal(MigrateFailed, missing.ExitCode);
        Assert.Contains("Login sagademo_nobody does not exist", missing.Output);
    }

    [Fact]
    public async Task A_login_with_more_rights_than_its_schema_is_refused()
    {
        var owner = await MigrateAsync(new Dictionary<string, string?> { ["orders"] = Login(Owner, "owner-secret-1") }, withAdmin: false);
        Assert.Equal(MigrateFailed, owner.ExitCode);
        Assert.Contains("is the migrating login or a member of it", owner.Output);

        await ExecuteAsync(_server.ConnectionString, "CREATE ROLE sagademo_mighty LOGIN CREATEROLE PASSWORD 'mighty-secret-1'");
        var mighty = await MigrateAsync(new Dictionary<string, string?> { ["orders"] = Login("sagademo_mighty", "x") }, withAdmin: false);
        Assert.Equal(MigrateFailed, mighty.ExitCode);
        Assert.Contains("may create roles or databases", mighty.Output);
    }

    [Theory]
    [InlineData("approval", "keeps no state in PostgreSQL")]
    [InlineData("billing", "no such role")]
    public async Task A_login_for_a_role_without_a_schema_is_a_configuration_error(string role, string message)
    {
        var result = await MigrateAsync(new Dictionary<string, string?> { [role] = Login("sagademo_x", "x-secret-1") });
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Output);
    }

    [Fact]
    public void The_verifier_is_postgres_scram_format_and_refuses_what_saslprep_would_change()
    {
        Assert.Matches(@"^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$", ScramVerifier.Create("Abc123-secret"));
        Assert.Throws<ArgumentException>(() => ScramVerifier.Create("pässword"));
        Assert.Throws<ArgumentException>(() => ScramVerifier.Create("with space"));
    }

    const int MigrateFailed = 1;

    static async Task AssertRefusedAsync(string connectionString, string sql)
    {
        var e = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connectionString, sql));
        Assert.True(e.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {e.SqlState} {e.MessageText}");
    }

    static async Task ExecuteAsync(string connectionString, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
