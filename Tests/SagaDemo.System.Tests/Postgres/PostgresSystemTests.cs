using SagaDemo.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.System.Tests.Postgres;

/// <summary>The whole system in one process with every service on PostgreSQL: flows, readiness, restart.</summary>
public sealed class PostgresSystemTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    [Fact]
    public async Task Both_flows_complete_or_fail_with_their_reasons_and_the_state_is_in_the_database()
    {
        await using var app = new PostgresAppFactory(ConnectionString);
        var client = app.CreateClient();

        var user = await client.RunAsync("/operations/user-create", """{"name":"hans","email":"hans@example.com"}""");
        var rejected = await client.RunAsync("/operations/user-create", """{"name":"Mallory"}""");
        var order = await client.RunAsync("/operations/order-create",
            """{"customerId":"c-1","items":[{"sku":"keyboard","quantity":2},{"sku":"apple","quantity":4}]}""");
        var outOfStock = await client.RunAsync("/operations/order-create",
            """{"customerId":"c-1","items":[{"sku":"book","quantity":1},{"sku":"unicorn","quantity":1}]}""");

        Assert.Equal("completed", user.GetProperty("status").GetString());
        var userId = user.GetProperty("result").GetProperty("userId").GetGuid();
        Assert.Equal("hans", (await client.GetFromJsonAsync<JsonElement>($"/users/{userId}")).GetProperty("name").GetString());
        Assert.Equal("failed", rejected.GetProperty("status").GetString());
        Assert.StartsWith(UserRegistrationStateMachine.ApprovalFailedError, rejected.GetProperty("error").GetString());
        Assert.Equal("completed", order.GetProperty("status").GetString());
        Assert.Equal(101.80m, order.GetProperty("result").GetProperty("amount").GetDecimal());
        Assert.Equal("failed", outOfStock.GetProperty("status").GetString());
        Assert.Equal("out of stock: SKU 'unicorn': 1 requested, 0 available", outOfStock.GetProperty("error").GetString());

        // Durable: rows in each service's own schema, no outbox row left undelivered.
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM users.users WHERE id = $1", userId));
        Assert.Equal(48, await ScalarAsync<int>("SELECT on_hand FROM warehouse.stock WHERE sku = 'keyboard'"));
        Assert.Equal("Completed", await ScalarAsync<string>("SELECT current_state FROM orders.order_saga WHERE correlation_id = $1",
            order.GetProperty("id").GetGuid()));
        var stats = await Eventually.Until(() => client.GetFromJsonAsync<JsonElement>("/statistics"),
            s => s.GetProperty("completed").GetInt64() == 1 && s.GetProperty("cancelled").GetInt64() == 1);
        Assert.Equal(101.80m, stats.GetProperty("revenue").GetDecimal());
        await Eventually.Until(() => ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM operations.outbox) + (SELECT count(*) FROM users.outbox) + (SELECT count(*) FROM orders.outbox)
                 + (SELECT count(*) FROM warehouse.outbox) + (SELECT count(*) FROM payment.outbox)
            """), n => n == 0, what: "every outbox drained");

        // Readiness also follows Kafka group membership, which a busy machine can delay for a moment.
        var ready = await Eventually.Until(async () =>
            {
                using var response = await client.GetAsync("/health/ready");
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }, r => r.StatusCode == HttpStatusCode.OK, what: "ready");
        // Anonymous callers learn the status only; the database is one of the checks behind it.
        Assert.Equal("""{"status":"Healthy"}""", ready.Body);
        Assert.Contains(app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "postgres");
    }

    [Fact]
    public async Task A_pending_approval_timeout_still_fires_after_a_restart()
    {
        // No approval role: the approval request is never answered, so only the deadline can end the operation.
        var settings = new Dictionary<string, string>
        {
            ["Roles"] = "api,users,orders,warehouse,payment,statistics",
            ["UserRegistration:ApprovalTimeout"] = "00:00:04",
        };
        Guid operationId;
        await using (var first = new PostgresAppFactory(ConnectionString, settings))
        {
            var client = first.CreateClient();
            operationId = await client.StartAsync("/operations/user-create", """{"name":"hans"}""");
            await Eventually.Until(() => StateAsync(operationId), s => s == "AwaitingApproval", what: "saga awaiting approval");
        }
        Assert.Equal("AwaitingApproval", await StateAsync(operationId)); // stopped before the deadline

        await using var second = new PostgresAppFactory(ConnectionString, settings);
        var operation = await second.CreateClient().FinishedAsync(operationId, TimeSpan.FromSeconds(20));

        Assert.Equal("failed", operation.GetProperty("status").GetString());
        Assert.Equal(UserRegistrationStateMachine.ApprovalTimedOutError, operation.GetProperty("error").GetString());
        Assert.Equal("TimedOut", await StateAsync(operationId));
    }

    async Task<string?> StateAsync(Guid operationId)
    {
        await using var command = DataSource.CreateCommand("SELECT current_state FROM users.user_registration_saga WHERE correlation_id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = operationId });
        return await command.ExecuteScalarAsync() as string;
    }
}
