using Npgsql;
using SagaDemo.Persistence.Schema;

namespace SagaDemo.Host.Commands;

/// <summary>
/// <c>SagaDemo.Host migrate [--ConnectionStrings:Postgres=...]</c>: applies every service's schema and
/// exits (0 done, 1 failed, 2 no connection string). Idempotent, so a deploy job can run it every time.
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";
    public const int Succeeded = 0, Failed = 1, NotConfigured = 2;

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

        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var migrator = new SchemaMigrator(dataSource);
            foreach (var schema in SagaDemoSchemas.All)
            {
                var applied = await migrator.MigrateAsync(schema);
                Console.WriteLine(applied.Count == 0
                    ? $"{schema.Name}: up to date"
                    : $"{schema.Name}: applied {string.Join(", ", applied)}");
            }
            return Succeeded;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"migrate failed: {e.Message}");
            return Failed;
        }
    }
}
