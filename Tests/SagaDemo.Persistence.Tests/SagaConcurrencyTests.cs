using SagaDemo.Testing;
using MassTransit;
using MassTransit.Testing;
using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;
using SagaDemo.Persistence.Sagas;

namespace SagaDemo.Persistence.Tests;

/// <summary>Many events for one instance at once: none lost, no update overwritten, conflicts retried.</summary>
public sealed class SagaConcurrencyTests(PostgresServerFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : PostgresTestBase(fixture)
{
    const int Duplicates = 50;

    [Theory]
    [InlineData(SagaConcurrencyMode.Optimistic)]
    [InlineData(SagaConcurrencyMode.Pessimistic)]
    public async Task Fifty_duplicates_racing_the_real_event_lose_nothing(SagaConcurrencyMode mode)
    {
        using var conflicts = new MetricCounter("sagademo.saga.conflicts");
        await using var host = await SagaTestHost.StartAsync(ConnectionString, concurrency: mode);
        var operationId = Guid.NewGuid();
        await host.Harness.Bus.Publish(new UserCreateRequested(operationId, "hans", null));
        var created = await Eventually.Until(() => host.LoadUserAsync(operationId), s => s is not null);

        // Each duplicate is applied (ignored by the state machine) and still writes the instance: every one
        // bumps the version, so a lost write shows up as a missing version or a reverted state.
        var storm = Enumerable.Range(0, Duplicates)
            .Select(_ => host.Harness.Bus.Publish(new UserCreateRequested(operationId, "hans", null)))
            .Append(host.Harness.Bus.Publish(new UserApprovalCompleted(operationId, created!.UserId, true, null)));
        await Task.WhenAll(storm);

        var final = await Eventually.Until(() => host.LoadUserAsync(operationId), s => s!.Version == Duplicates + 2,
            TimeSpan.FromSeconds(30), "all events applied");
        Assert.Equal("Storing", final!.CurrentState);
        Assert.Equal(created.UserId, final.UserId);
        Assert.Equal(1, host.Harness.Published.Select<UserApprovalRequested>().Count(m => m.Context.Message.OperationId == operationId));
        Assert.Equal(1, host.Harness.Published.Select<StoreUser>().Count(m => m.Context.Message.OperationId == operationId));
        Assert.False(host.Harness.Published.Select<Fault<UserCreateRequested>>().Any());
        Assert.False(host.Harness.Published.Select<Fault<UserApprovalCompleted>>().Any());
        output.WriteLine($"{mode}: {conflicts.Count} conflicts retried");
        if (mode == SagaConcurrencyMode.Pessimistic)
            Assert.Equal(0, conflicts.Count); // events queue on the row lock instead of racing
    }

    [Fact]
    public async Task Concurrent_submissions_of_one_order_create_exactly_one_instance()
    {
        await using var host = await SagaTestHost.StartAsync(ConnectionString);
        var orderId = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            host.Harness.Bus.Publish(new OrderSubmitted(orderId, "c-1", [new("sku", 1)], DateTimeOffset.UtcNow))));

        var order = await Eventually.Until(() => host.LoadOrderAsync(orderId), s => s?.Version == 20, TimeSpan.FromSeconds(30));
        Assert.Equal("Reserving", order!.CurrentState);
        Assert.Equal(1, host.Harness.Published.Select<ReserveStock>().Count(m => m.Context.Message.OrderId == orderId));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM orders.order_saga WHERE correlation_id = $1", orderId));
    }

    [Fact]
    public async Task A_write_that_lands_between_load_and_update_is_kept_and_the_event_is_retried_on_top()
    {
        using var conflicts = new MetricCounter("sagademo.saga.conflicts");
        await using var host = await SagaTestHost.StartAsync(ConnectionString);
        var operationId = Guid.NewGuid();
        await host.Harness.Bus.Publish(new UserCreateRequested(operationId, "hans", null));
        var created = await Eventually.Until(() => host.LoadUserAsync(operationId), s => s is not null);

        // Another writer changes the row and holds its lock: the saga reads version 1, then its update waits.
        await using var other = await DataSource.OpenConnectionAsync();
        await using var otherTransaction = await other.BeginTransactionAsync();
        await using (var update = new Npgsql.NpgsqlCommand("""
            UPDATE users.user_registration_saga SET version = version + 1, data = jsonb_set(data, '{email}', '"other@example.com"')
            WHERE correlation_id = $1
            """, other, otherTransaction))
        {
            update.Parameters.Add(new Npgsql.NpgsqlParameter { Value = operationId });
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        await host.Harness.Bus.Publish(new UserApprovalCompleted(operationId, created!.UserId, true, null));
        await Eventually.Until(() => ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"),
            n => n > 0, what: "saga update blocked on the row lock");
        await otherTransaction.CommitAsync();

        var final = await Eventually.Until(() => host.LoadUserAsync(operationId), s => s!.CurrentState == "Storing");
        Assert.Equal(3, final!.Version);
        Assert.Equal("other@example.com", final.Email); // the other writer's change survived the retry
        Assert.True(conflicts.Count >= 1, "the stale update conflicted");
        Assert.Equal(1, host.Harness.Published.Select<StoreUser>().Count(m => m.Context.Message.OperationId == operationId));
        Assert.Equal("other@example.com", host.Harness.Published.Select<StoreUser>()
            .Single(m => m.Context.Message.OperationId == operationId).Context.Message.Email);
    }
}
