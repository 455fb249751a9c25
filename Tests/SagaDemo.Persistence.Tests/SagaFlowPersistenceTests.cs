using SagaDemo.Testing;
using MassTransit.Testing;
using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Persistence.Tests;

/// <summary>Both state machines run their full flows with every transition persisted in PostgreSQL.</summary>
public sealed class SagaFlowPersistenceTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    [Fact]
    public async Task User_registration_that_is_approved_and_stored_is_persisted_as_completed()
    {
        await using var host = await SagaTestHost.StartAsync(ConnectionString);
        var operationId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new UserCreateRequested(operationId, "hans", "hans@example.com"));
        var awaiting = await Eventually.Until(() => host.LoadUserAsync(operationId), s => s?.CurrentState == "AwaitingApproval");
        Assert.Equal(1, awaiting!.Version);
        Assert.Equal("hans", awaiting.Name);
        Assert.NotNull(awaiting.ApprovalDeadline);
        Assert.True(await host.Harness.Published.Any<UserApprovalRequested>(m => m.Context.Message.OperationId == operationId));

        await host.Harness.Bus.Publish(new UserApprovalCompleted(operationId, awaiting.UserId, true, null));
        var storing = await Eventually.Until(() => host.LoadUserAsync(operationId), s => s?.CurrentState == "Storing");
        Assert.Equal(2, storing!.Version);
        Assert.Null(storing.ApprovalDeadline);

        await host.Harness.Bus.Publish(new UserStored(operationId, awaiting.UserId));
        var completed = await Eventually.Until(() => host.LoadUserAsync(operationId), s => s?.CurrentState == "Completed");
        Assert.Equal(3, completed!.Version);
        Assert.True(await host.Harness.Published.Any<UserCreateCompleted>(m =>
            m.Context.Message.OperationId == operationId && m.Context.Message.Status == UserCreateStatus.Completed));

        var row = await ScalarAsync<string>("SELECT current_state FROM users.user_registration_saga WHERE correlation_id = $1", operationId);
        Assert.Equal("Completed", row);
    }

    [Fact]
    public async Task Rejected_user_registration_is_persisted_with_its_error()
    {
        await using var host = await SagaTestHost.StartAsync(ConnectionString);
        var operationId = Guid.NewGuid();
        await host.Harness.Bus.Publish(new UserCreateRequested(operationId, "mallory", null));
        var awaiting = await Eventually.Until(() => host.LoadUserAsync(operationId), s => s?.CurrentState == "AwaitingApproval");

        await host.Harness.Bus.Publish(new UserApprovalCompleted(operationId, awaiting!.UserId, false, "denied name"));

        var rejected = await Eventually.Until(() => host.LoadUserAsync(operationId), s => s?.CurrentState == "Rejected");
        Assert.Equal($"{UserRegistrationStateMachine.ApprovalFailedError}: denied name", rejected!.Error);
    }

    [Fact]
    public async Task Order_flow_round_trips_its_items_and_completes()
    {
        await using var host = await SagaTestHost.StartAsync(ConnectionString);
        var orderId = Guid.NewGuid();
        OrderItem[] items = [new("sku-1", 2), new("sku-2", 1)];
        var submittedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));

        await host.Harness.Bus.Publish(new OrderSubmitted(orderId, "c-1", items, submittedAt));
        var reserving = await Eventually.Until(() => host.LoadOrderAsync(orderId), s => s?.CurrentState == "Reserving");
        Assert.Equal(items, reserving!.Items);
        Assert.Equal(submittedAt, reserving.SubmittedAt);

        await host.Harness.Bus.Publish(new StockReserved(orderId, 12.34m));
        await Eventually.Until(() => host.LoadOrderAsync(orderId), s => s?.CurrentState == "Charging");
        await host.Harness.Bus.Publish(new PaymentCharged(orderId, 12.34m));
        await Eventually.Until(() => host.LoadOrderAsync(orderId), s => s?.CurrentState == "Shipping");
        await host.Harness.Bus.Publish(new OrderShipped(orderId, "TRACK-1"));

        var completed = await Eventually.Until(() => host.LoadOrderAsync(orderId), s => s?.CurrentState == "Completed");
        Assert.Equal(12.34m, completed!.Amount);
        Assert.Equal("TRACK-1", completed.TrackingNumber);
        Assert.Equal(4, completed.Version); // submitted, reserved, charged, shipped
        Assert.Equal(items, completed.Items);
        Assert.True(await host.Harness.Published.Any<OrderCreateCompleted>(m =>
            m.Context.Message.OrderId == orderId && m.Context.Message.Status == OrderCreateStatus.Completed));
    }

    [Fact]
    public async Task Declined_payment_compensates_and_cancels()
    {
        await using var host = await SagaTestHost.StartAsync(ConnectionString);
        var orderId = Guid.NewGuid();
        await host.Harness.Bus.Publish(new OrderSubmitted(orderId, "c-2", [new("sku-1", 1)], DateTimeOffset.UtcNow));
        await Eventually.Until(() => host.LoadOrderAsync(orderId), s => s?.CurrentState == "Reserving");
        await host.Harness.Bus.Publish(new StockReserved(orderId, 5m));
        await Eventually.Until(() => host.LoadOrderAsync(orderId), s => s?.CurrentState == "Charging");

        await host.Harness.Bus.Publish(new PaymentDeclined(orderId, "card expired"));
        await Eventually.Until(() => host.LoadOrderAsync(orderId), s => s?.CurrentState == "Compensating");
        Assert.True(await host.Harness.Published.Any<ReleaseStock>(m => m.Context.Message.OrderId == orderId));
        await host.Harness.Bus.Publish(new StockReleased(orderId));

        var cancelled = await Eventually.Until(() => host.LoadOrderAsync(orderId), s => s?.CurrentState == "Cancelled");
        Assert.Equal("payment declined: card expired", cancelled!.Error);
    }

    [Fact]
    public async Task Reply_for_an_unknown_order_creates_no_row()
    {
        await using var host = await SagaTestHost.StartAsync(ConnectionString);
        var orderId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new StockReserved(orderId, 1m));

        Assert.True(await host.Harness.Consumed.Any<StockReserved>(m => m.Context.Message.OrderId == orderId));
        Assert.Null(await host.LoadOrderAsync(orderId));
    }
}
