using System.Net.Http.Json;
using System.Text.Json;
using SagaDemo.Testing;
using SagaDemo.Testing.Processes;

namespace SagaDemo.System.Tests.Processes;

/// <summary>
/// Both flows end to end through Kafka with every service in its own SagaDemo.Host process on the dev broker
/// (<c>kafka-dev</c>): first with in-memory state, then with each service's own PostgreSQL schema.
/// </summary>
[Collection(ProcessesCollection.Name)]
public sealed class MultiProcessFlowTests : IAsyncLifetime
{
    static readonly TimeSpan FlowTimeout = TimeSpan.FromSeconds(60);
    PostgresServer? _postgres;

    public async Task InitializeAsync() => _postgres = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
    }

    [Fact]
    public Task Both_flows_complete_and_fail_across_processes_with_in_memory_state() => RunFlowsAsync(null);

    [Fact]
    public async Task Both_flows_complete_and_fail_across_processes_with_postgres_schemas() =>
        await RunFlowsAsync(await _postgres!.CreateDatabaseAsync("multi_process"));

    static async Task RunFlowsAsync(string? connectionString)
    {
        var settings = new Dictionary<string, string> { ["Approval:Delay"] = "00:00:00" };
        if (connectionString is not null)
            settings["ConnectionStrings:Postgres"] = connectionString;
        await using var system = await SagaDemoProcesses.StartAsync(SagaDemoProcesses.OneProcessPerRole, settings);
        try
        {
            using var api = system["api"].CreateClient();
            var user = await api.StartAsync("/operations/user-create", """{"name":"hans","email":"hans@example.com"}""");
            var rejected = await api.StartAsync("/operations/user-create", """{"name":"mallory"}""");
            var order = await api.StartAsync("/operations/order-create",
                """{"customerId":"c-1","items":[{"sku":"keyboard","quantity":2},{"sku":"apple","quantity":4}]}""");
            var outOfStock = await api.StartAsync("/operations/order-create",
                """{"customerId":"c-1","items":[{"sku":"book","quantity":1},{"sku":"unicorn","quantity":1}]}""");

            var userDone = await api.FinishedAsync(user, FlowTimeout);
            Assert.Equal("completed", userDone.GetProperty("status").GetString());
            var userId = userDone.GetProperty("result").GetProperty("userId").GetGuid();
            using (var users = system["users"].CreateClient())
                Assert.Equal("hans", (await users.GetFromJsonAsync<JsonElement>($"/users/{userId}")).GetProperty("name").GetString());

            var rejectedDone = await api.FinishedAsync(rejected, FlowTimeout);
            Assert.Equal("failed", rejectedDone.GetProperty("status").GetString());
            Assert.StartsWith("approval failed", rejectedDone.GetProperty("error").GetString());

            var orderDone = await api.FinishedAsync(order, FlowTimeout);
            Assert.Equal("completed", orderDone.GetProperty("status").GetString());
            Assert.Equal(101.80m, orderDone.GetProperty("result").GetProperty("amount").GetDecimal());

            var outOfStockDone = await api.FinishedAsync(outOfStock, FlowTimeout);
            Assert.Equal("failed", outOfStockDone.GetProperty("status").GetString());
            Assert.Equal("out of stock: SKU 'unicorn': 1 requested, 0 available", outOfStockDone.GetProperty("error").GetString());

            using var warehouse = system["warehouse"].CreateClient();
            var stock = await warehouse.GetFromJsonAsync<JsonElement>("/inventory");
            var keyboard = stock.EnumerateArray().Single(s => s.GetProperty("sku").GetString() == "keyboard");
            Assert.Equal(48, keyboard.GetProperty("onHand").GetInt32());
            Assert.Equal(0, keyboard.GetProperty("reserved").GetInt32());

            using var statistics = system["statistics"].CreateClient();
            await PollAsync(async () =>
            {
                var s = await statistics.GetFromJsonAsync<JsonElement>("/statistics");
                return s.GetProperty("completed").GetInt64() == 1 && s.GetProperty("cancelled").GetInt64() == 1;
            }, "statistics counted one completed and one cancelled order");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n{system.Output()}", e);
        }
    }

    static async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + FlowTimeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not reached within {FlowTimeout}: {what}");
            await Task.Delay(100);
        }
    }
}
