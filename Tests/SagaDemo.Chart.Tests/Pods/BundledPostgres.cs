using Newtonsoft.Json.Linq;
using Npgsql;
using SagaDemo.Chart.Tests.Rendering;
using SagaDemo.Testing;

namespace SagaDemo.Chart.Tests.Pods;

/// <summary>
/// What the bundled Bitnami PostgreSQL does at its first start, on a throwaway server that checks passwords: the
/// superuser's password and the migrating login (owner of the database) from the rendered bundled Secret. Everything
/// else, the services' logins included, is the migration Job's work.
/// </summary>
public static class BundledPostgres
{
    /// <returns>The rendered admin login (the superuser, with the password the chart generated), for this machine.</returns>
    public static async Task<string> InitializeAsync(IReadOnlyList<JObject> objects, PostgresServer server)
    {
        var bundled = objects.OfKind("Secret").Single(s => s.Name().EndsWith("-generated-credentials")).Entries();
        var credentials = objects.OfKind("Secret").Single(s => s.Name().EndsWith("-saga-demo-credentials")).Entries();
        var owner = new NpgsqlConnectionStringBuilder(credentials["postgres-connection-string"]);
        Assert.Equal(bundled["password"], owner.Password);
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            // Generated passwords are hex digits: safe in a literal.
            foreach (var sql in new[] {
                         $"CREATE ROLE \"{owner.Username}\" LOGIN PASSWORD '{owner.Password}'",
                         $"CREATE DATABASE \"{owner.Database}\" OWNER \"{owner.Username}\"",
                         $"ALTER ROLE postgres PASSWORD '{bundled["postgres-password"]}'" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        NpgsqlConnection.ClearAllPools();
        // The rendered host name resolves inside the pods' namespaces only; the test reaches the server directly.
        return new NpgsqlConnectionStringBuilder(credentials["postgres-admin-connection-string"]) { Host = "127.0.0.1", Port = server.Port }.ConnectionString;
    }

    /// <summary>Privileges as the server reports them, for a login on a schema's table or on the schema itself.</summary>
    public static async Task<bool> HasPrivilegeAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
