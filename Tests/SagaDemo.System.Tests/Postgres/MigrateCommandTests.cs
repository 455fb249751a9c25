using SagaDemo.Persistence.Schema;
using SagaDemo.Testing;

namespace SagaDemo.System.Tests.Postgres;

/// <summary><c>SagaDemo.Host migrate</c> as a real process.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MigrateCommandTests(PostgresServerFixture fixture)
{
    static Task<ProcessRunner.Result> RunHostAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "SagaDemo.Host.dll"), .. arguments],
            AppContext.BaseDirectory, TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Migrate_applies_every_schema_to_a_fresh_database_and_is_idempotent()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("migrate_command");

        var first = await RunHostAsync("migrate", $"--ConnectionStrings:Postgres={connectionString}");
        var second = await RunHostAsync("migrate", $"--ConnectionStrings:Postgres={connectionString}");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.All(SagaDemoSchemas.All, s => Assert.Contains($"{s.Name}: applied", first.Output));
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.All(SagaDemoSchemas.All, s => Assert.Contains($"{s.Name}: up to date", second.Output));
    }

    [Fact]
    public async Task Migrate_without_a_connection_string_explains_and_exits_2()
    {
        var result = await RunHostAsync("migrate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ConnectionStrings:Postgres", result.Output);
    }
}
