using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Testing;
using SagaDemo.Api.Tests.OpenApi;
using Xunit.Abstractions;

namespace SagaDemo.Api.Tests.Console;

/// <summary>
/// The console page in a real browser (playwright-core driving Debian's Chromium, console-scenario.mjs) over the whole
/// host on PostgreSQL and the embedded Kafka cluster. The users table refuses inserts (a trigger: the "cause"), so a
/// user's StoreUser record is dead-lettered and its saga waits in Storing; with the trigger dropped (the "fix"), a
/// replay pressed in the page completes the saga, and a second press in another window changes nothing more.
/// Screenshots of each step are written to console-screenshots/ in the test output.
/// </summary>
public sealed class ConsoleBrowserTests(ITestOutputHelper output)
{
    const string OrderBody = """{"customerId":"c-1","items":[{"sku":"book","quantity":1}]}""";

    [Fact]
    public async Task Operations_timeline_and_a_dead_letter_replayed_after_its_cause_was_fixed()
    {
        var clock = Stopwatch.StartNew();
        await using var postgres = await PostgresServer.StartNewAsync();
        var database = await postgres.CreateDatabaseAsync("console");
        await using var host = new ProductionHostFactory(("ConnectionStrings:Postgres", database), ("Approval:Delay", "00:00:00"));
        using var http = new HttpClient { BaseAddress = host.Start() };
        var bootstrap = host.Services.GetRequiredService<KafkaBootstrap>().BootstrapServers;
        output.WriteLine($"host and PostgreSQL up after {clock.ElapsedMilliseconds} ms");

        var orderId = await http.StartAsync("/operations/order-create", OrderBody);
        Assert.Equal("completed", (await http.FinishedAsync(orderId, TimeSpan.FromSeconds(30))).GetProperty("status").GetString());

        await using var dataSource = NpgsqlDataSource.Create(database);
        await ExecuteAsync(dataSource, """
            CREATE FUNCTION users.closed_for_maintenance() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN RAISE EXCEPTION 'users table closed for maintenance'; END $$;
            CREATE TRIGGER closed_for_maintenance BEFORE INSERT ON users.users
                FOR EACH ROW EXECUTE FUNCTION users.closed_for_maintenance();
            """);
        var userOperationId = await http.StartAsync("/operations/user-create", """{"name":"grete"}""");
        var stuck = await Eventually.ValueAsync(() => FindDeadLetterAsync(http, "user-store.dead-letter", userOperationId.ToString()),
            r => r is not null, TimeSpan.FromSeconds(30));
        Assert.NotNull(stuck);
        Assert.Contains("closed for maintenance", stuck.Value.GetProperty("reason").GetString());
        var stuckRecord = $"user-store.dead-letter/{stuck.Value.GetProperty("partition").GetInt32()}@{stuck.Value.GetProperty("offset").GetInt64()}";

        var marker = Guid.NewGuid().ToString("N");
        await ConsoleKafka.ProduceAsync(bootstrap, "order-create", Guid.NewGuid().ToString(), $"poison {marker}");
        Assert.NotNull(await Eventually.ValueAsync(() => FindDeadLetterAsync(http, "order-create.dead-letter", marker), r => r is not null,
            TimeSpan.FromSeconds(20)));

        await ExecuteAsync(dataSource, "DROP TRIGGER closed_for_maintenance ON users.users");
        Assert.Equal("pending", (await http.GetFromJsonAsync<JsonElement>($"/operations/{userOperationId}")).GetProperty("status").GetString());
        var storeRecordsBefore = ConsoleKafka.HighWatermark(bootstrap, "user-store");
        output.WriteLine($"system prepared after {clock.ElapsedMilliseconds} ms");

        var shots = Path.Combine(AppContext.BaseDirectory, "console-screenshots");
        Directory.CreateDirectory(shots);
        var (exit, log) = await RunScenarioAsync(new Dictionary<string, string>
        {
            ["BASE_URL"] = http.BaseAddress!.ToString().TrimEnd('/'),
            ["ORDER_ID"] = orderId.ToString(),
            ["USER_OPERATION_ID"] = userOperationId.ToString(),
            ["STUCK_RECORD"] = stuckRecord,
            ["POISON_MARKER"] = marker,
            ["SHOTS"] = shots,
        });
        output.WriteLine(log);
        output.WriteLine($"screenshots: {shots}; browser done after {clock.ElapsedMilliseconds} ms");
        Assert.True(exit == 0, $"the browser scenario failed (exit {exit}):\n{log}");

        // The replay's one effect: one more StoreUser record, one user, the operation completed.
        Assert.Equal("completed", (await http.FinishedAsync(userOperationId, TimeSpan.FromSeconds(10))).GetProperty("status").GetString());
        Assert.Equal(storeRecordsBefore + 1, ConsoleKafka.HighWatermark(bootstrap, "user-store"));
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM users.users WHERE operation_id = $1");
        count.Parameters.Add(new NpgsqlParameter { Value = userOperationId });
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    static async Task<JsonElement?> FindDeadLetterAsync(HttpClient http, string topic, string text)
    {
        var list = await http.GetFromJsonAsync<JsonElement>($"/dead-letters?topic={topic}");
        return list.GetProperty("records").EnumerateArray()
            .Where(r => r.GetProperty("value").GetString()!.Contains(text, StringComparison.Ordinal))
            .Select(r => (JsonElement?)r).FirstOrDefault();
    }

    static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    static async Task<(int Exit, string Log)> RunScenarioAsync(Dictionary<string, string> environment)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("node", Path.Combine(root, "Tests", "SagaDemo.Api.Tests", "Console", "console-scenario.mjs"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["SAGADEMO_TOOLS"] = Path.Combine(root, "tools");
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        return (process.HasExited ? process.ExitCode : -1, await stdout + await stderr);
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SagaDemo.sln")))
                return dir.FullName;
        throw new InvalidOperationException("SagaDemo.sln not found above the test's directory.");
    }
}
