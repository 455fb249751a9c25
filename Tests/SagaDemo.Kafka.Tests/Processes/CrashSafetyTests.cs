using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SagaDemo.Testing;
using SagaDemo.Testing.Processes;
using Xunit.Abstractions;

namespace SagaDemo.Kafka.Tests.Processes;

/// <summary>
/// Durable state under crashes: every service in its own process on the dev broker and PostgreSQL; while a load
/// of user and order creations runs, one service is killed with SIGKILL and started again. Afterwards nothing
/// accepted is lost, nothing is applied twice, stock is never oversold, and statistics agree with the orders.
/// </summary>
[Collection(ProcessesCollection.Name)]
public sealed class CrashSafetyTests(ITestOutputHelper output) : IAsyncLifetime
{
    const int UsersPerCase = 50;
    const int OrdersPerCase = 25;
    static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);
    static readonly string[] CheapSkus = ["apple", "book"];

    PostgresServer? _postgres;

    public async Task InitializeAsync() => _postgres = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
    }

    sealed record Submitted(Guid Id, bool IsOrder, IReadOnlyDictionary<string, int> Items);

    [Fact]
    public async Task Killing_a_service_mid_load_loses_nothing_duplicates_nothing_and_oversells_nothing()
    {
        var database = await _postgres!.CreateDatabaseAsync("crash_safety");
        var settings = new Dictionary<string, string> { ["ConnectionStrings:Postgres"] = database, ["Approval:Delay"] = "00:00:00" };
        await using var system = await SagaDemoProcesses.StartAsync(SagaDemoProcesses.OneProcessPerRole, settings);
        using var api = system["api"].CreateClient();
        var initialStock = await StockAsync(system);
        var all = new List<(Submitted Op, JsonElement Final)>();
        try
        {
            foreach (var victim in new[] { "users", "orders", "warehouse", "api" })
            {
                var accepted = await LoadWithCrashAsync(system, api, victim);
                var finals = await SettleAsync(api, accepted);
                all.AddRange(accepted.Zip(finals.Select(f => f ?? default)));
                var report = await CheckAsync(system, database, initialStock, all);
                output.WriteLine($"kill {victim,-9}: accepted {accepted.Count}, completed {finals.Count(f => Status(f) == "completed")}, " +
                                 $"failed {finals.Count(f => Status(f) == "failed")}, lost {finals.Count(f => f is null)}, " +
                                 $"duplicated {report.Duplicated}, oversold {report.Oversold}");
                Assert.Equal(UsersPerCase + OrdersPerCase, accepted.Count);
                Assert.DoesNotContain(null, finals);
                Assert.Equal(0, report.Duplicated);
                Assert.Equal(0, report.Oversold);
                Assert.True(report.Problems.Count == 0, string.Join("\n", report.Problems));
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{system.Output()}", e);
        }
    }

    /// <summary>
    /// Sends one case's load (8 in flight) and kills <paramref name="victim"/> once a third of it is sent, starting
    /// it again at once. Each POST carries an Idempotency-Key and is retried until accepted: a client whose answer
    /// was lost in the crash asks again and gets the same operation, never a second one.
    /// </summary>
    async Task<List<Submitted>> LoadWithCrashAsync(SagaDemoProcesses system, HttpClient api, string victim)
    {
        var requests = Enumerable.Range(0, UsersPerCase + OrdersPerCase).Select(i => i % 3 == 2 ? OrderRequest(i) : UserRequest(i)).ToList();
        var accepted = new ConcurrentBag<(int Index, Submitted Op)>();
        var sent = 0;
        var crash = Task.CompletedTask;
        using var gate = new SemaphoreSlim(8);
        var sends = new List<Task>();
        for (var i = 0; i < requests.Count; i++)
        {
            await gate.WaitAsync();
            if (Interlocked.Increment(ref sent) == requests.Count / 3)
                crash = Task.Run(async () =>
                {
                    system[victim].Kill();
                    await system[victim].RestartAsync();
                });
            var index = i;
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    var (path, json, op) = requests[index];
                    var key = Guid.NewGuid().ToString();
                    var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
                    Guid? id = null;
                    while (id is null && DateTime.UtcNow < deadline)
                    {
                        try
                        {
                            id = await api.TryStartAsync(path, json, idempotencyKey: key);
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                        {
                            // The api process is down: ask again with the same key.
                        }
                        if (id is null)
                            await Task.Delay(200);
                    }
                    if (id is { } accepted1)
                        accepted.Add((index, op with { Id = accepted1 }));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        await Task.WhenAll(sends);
        await crash;
        return accepted.OrderBy(a => a.Index).Select(a => a.Op).ToList();
    }

    static (string Path, string Json, Submitted Op) UserRequest(int i)
    {
        // Every tenth name is on the deny list: those operations fail, and must leave no user behind.
        var name = i % 10 == 0 ? "mallory" : $"user-{Guid.NewGuid():N}";
        return ("/operations/user-create", $$"""{"name":"{{name}}"}""", new Submitted(Guid.Empty, false, new Dictionary<string, int>()));
    }

    static (string Path, string Json, Submitted Op) OrderRequest(int i)
    {
        var sku = CheapSkus[i % CheapSkus.Length];
        var quantity = 1 + i % 3;
        var json = $$"""{"customerId":"c-{{i}}","items":[{"sku":"{{sku}}","quantity":{{quantity}}}]}""";
        return ("/operations/order-create", json, new Submitted(Guid.Empty, true, new Dictionary<string, int> { [sku] = quantity }));
    }

    static async Task<List<JsonElement?>> SettleAsync(HttpClient api, IReadOnlyList<Submitted> accepted)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        return (await Task.WhenAll(accepted.Select(async op =>
        {
            try
            {
                return (JsonElement?)await api.FinishedAsync(op.Id, deadline - DateTime.UtcNow);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }))).ToList();
    }

    static string? Status(JsonElement? operation) => operation?.GetProperty("status").GetString();

    sealed record Report(int Duplicated, int Oversold, List<string> Problems);

    static async Task<Report> CheckAsync(SagaDemoProcesses system, string database, IReadOnlyDictionary<string, (int OnHand, int Reserved)> initial,
        IReadOnlyList<(Submitted Op, JsonElement Final)> all)
    {
        var problems = new List<string>();

        // Exactly one user row per approved operation, none for a rejected one.
        var rows = new Dictionary<Guid, long>();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT operation_id, count(*) FROM users.users GROUP BY operation_id", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                rows[reader.GetGuid(0)] = reader.GetInt64(1);
        }
        var users = all.Where(a => !a.Op.IsOrder).ToList();
        var duplicated = rows.Count(r => r.Value > 1);
        foreach (var (op, final) in users)
        {
            var count = rows.GetValueOrDefault(op.Id);
            if (Status(final) == "completed" && count != 1)
                problems.Add($"approved user operation {op.Id} has {count} user rows");
            if (Status(final) == "failed" && count != 0)
                problems.Add($"rejected user operation {op.Id} has {count} user rows");
        }

        // Stock: nothing negative, nothing still reserved, and what left the shelf is exactly what completed orders took.
        var stock = await StockAsync(system);
        var orders = all.Where(a => a.Op.IsOrder).ToList();
        var oversold = 0;
        foreach (var (sku, level) in stock)
        {
            var shipped = orders.Where(o => Status(o.Final) == "completed").Sum(o => o.Op.Items.GetValueOrDefault(sku));
            if (level.OnHand < 0 || level.Reserved < 0 || level.OnHand + shipped < initial[sku].OnHand)
                oversold++;
            if (level.OnHand + shipped != initial[sku].OnHand || level.Reserved != 0)
                problems.Add($"{sku}: onHand {level.OnHand} + shipped {shipped} != initial {initial[sku].OnHand}, reserved {level.Reserved}");
        }

        // Statistics count each order once, by its final state.
        using var statistics = system["statistics"].CreateClient();
        var completed = orders.Count(o => Status(o.Final) == "completed");
        var cancelled = orders.Count(o => Status(o.Final) == "failed");
        var deadline = DateTime.UtcNow + SettleTimeout;
        JsonElement totals;
        while (true)
        {
            totals = await statistics.GetFromJsonAsync<JsonElement>("/statistics");
            if (totals.GetProperty("completed").GetInt64() == completed && totals.GetProperty("cancelled").GetInt64() == cancelled
                || DateTime.UtcNow > deadline)
                break;
            await Task.Delay(200);
        }
        if (totals.GetProperty("completed").GetInt64() != completed || totals.GetProperty("cancelled").GetInt64() != cancelled
            || totals.GetProperty("submitted").GetInt64() != orders.Count)
            problems.Add($"statistics {totals} != orders: {orders.Count} submitted, {completed} completed, {cancelled} cancelled");
        return new Report(duplicated, oversold, problems);
    }

    static async Task<Dictionary<string, (int OnHand, int Reserved)>> StockAsync(SagaDemoProcesses system)
    {
        using var warehouse = system["warehouse"].CreateClient();
        var levels = await warehouse.GetFromJsonAsync<JsonElement>("/inventory");
        return levels.EnumerateArray().ToDictionary(l => l.GetProperty("sku").GetString()!,
            l => (l.GetProperty("onHand").GetInt32(), l.GetProperty("reserved").GetInt32()));
    }
}
