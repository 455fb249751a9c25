using Npgsql;
using SagaDemo.Host.Composition;
using SagaDemo.Host.RoleModules;
using SagaDemo.Persistence.Schema;

namespace SagaDemo.Host.Commands;

/// <summary>
/// <c>SagaDemo.Host migrate [--ConnectionStrings:Postgres=...]</c>: applies every service's schema and exits (0 done,
/// 1 failed, 2 not configured). Idempotent, so a deploy job can run it every time.
/// With <c>Postgres:Logins:&lt;role&gt;</c> (the connection string that role's service uses) it also limits each
/// service's login to its own schema (<see cref="SchemaLogins"/>); with <c>Postgres:AdminConnectionString</c> (a
/// superuser or CREATEROLE login) it first creates those logins or sets their passwords from the connection strings.
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";
    public const int Succeeded = 0, Failed = 1, NotConfigured = 2;

    /// <summary>Section of the per-role connection strings, e.g. <c>Postgres:Logins:api</c>.</summary>
    public const string LoginsSection = "Postgres:Logins";

    public const string AdminConnectionStringKey = "Postgres:AdminConnectionString";

    public static bool IsInvocation(string[] args) => args.Length > 0 && args[0] == Name;

    public static async Task<int> RunAsync(string[] args)
    {
        // The same configuration sources as the service (appsettings, environment, --Key=value).
        var configuration = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(args[1..]).Configuration;
        if (configuration.GetConnectionString("Postgres") is not { Length: > 0 } connectionString)
        {
            await Console.Error.WriteLineAsync(
                "migrate: ConnectionStrings:Postgres is not set. Pass --ConnectionStrings:Postgres=\"Host=...;Database=...\" " +
                "or set the environment variable ConnectionStrings__Postgres.");
            return NotConfigured;
        }

        List<(string Role, SchemaDefinition Schema, NpgsqlConnectionStringBuilder Login)> logins;
        try
        {
            logins = RoleLogins(configuration);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"migrate: {e.Message}");
            return NotConfigured;
        }

        try
        {
            if (configuration[AdminConnectionStringKey] is { Length: > 0 } adminConnectionString)
            {
                await using var admin = NpgsqlDataSource.Create(adminConnectionString);
                foreach (var (role, _, login) in logins)
                {
                    var created = await SchemaLogins.EnsureLoginAsync(admin, login.Username!,
                        login.Password ?? throw new ArgumentException($"{LoginsSection}:{role} has no Password to give login {login.Username}."));
                    Console.WriteLine($"login {login.Username} ({role}): {(created ? "created" : "password set")}");
                }
            }

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var migrator = new SchemaMigrator(dataSource);
            foreach (var schema in RoleCatalog.SchemaByRole.Values)
            {
                var applied = await migrator.MigrateAsync(schema);
                Console.WriteLine(applied.Count == 0
                    ? $"{schema.Name}: up to date"
                    : $"{schema.Name}: applied {string.Join(", ", applied)}");
            }
            foreach (var (_, schema, login) in logins)
            {
                await SchemaLogins.GrantAsync(dataSource, schema.Name, login.Username!);
                Console.WriteLine($"{schema.Name}: login {login.Username} may read and write its tables, nothing else");
            }
            return Succeeded;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"migrate failed: {e.Message}");
            return Failed;
        }
    }

    /// <summary>The configured role logins, each with the schema its role owns.</summary>
    static List<(string Role, SchemaDefinition Schema, NpgsqlConnectionStringBuilder Login)> RoleLogins(IConfiguration configuration)
    {
        var logins = new List<(string, SchemaDefinition, NpgsqlConnectionStringBuilder)>();
        foreach (var entry in configuration.GetSection(LoginsSection).GetChildren().Where(e => !string.IsNullOrEmpty(e.Value)))
        {
            var role = Roles.All.FirstOrDefault(r => string.Equals(r, entry.Key, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"{LoginsSection}:{entry.Key}: no such role (known: {string.Join(", ", Roles.All)}).");
            if (!RoleCatalog.SchemaByRole.TryGetValue(role, out var schema))
                throw new ArgumentException($"{LoginsSection}:{role}: the {role} role keeps no state in PostgreSQL, so it needs no login.");
            var login = new NpgsqlConnectionStringBuilder(entry.Value);
            if (string.IsNullOrEmpty(login.Username))
                throw new ArgumentException($"{LoginsSection}:{role} names no Username.");
            logins.Add((role, schema, login));
        }
        return logins;
    }
}
