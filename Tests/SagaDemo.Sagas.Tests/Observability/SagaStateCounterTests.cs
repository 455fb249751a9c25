using MassTransit;
using SagaDemo.Contracts.Users;
using SagaDemo.Host.Observability;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Sagas.Tests.Sagas;

namespace SagaDemo.Sagas.Tests.Observability;

public sealed class SagaStateCounterTests
{
    [Fact]
    public async Task Follows_instances_from_state_to_state()
    {
        await using var harness = await UserSagaHarness.StartAsync();
        var counter = new SagaStateCounter<UserRegistrationState>();
        harness.Machine.ConnectStateObserver(counter);

        var approved = Guid.NewGuid();
        var pending = Guid.NewGuid();
        await harness.Bus.Bus.Publish(new UserCreateRequested(approved, "hans", null));
        await harness.Bus.Bus.Publish(new UserCreateRequested(pending, "grete", null));
        Assert.NotNull(await harness.Saga.Exists(approved, m => m.AwaitingApproval));
        Assert.NotNull(await harness.Saga.Exists(pending, m => m.AwaitingApproval));
        var userId = harness.Instance(approved)!.UserId;
        await harness.Bus.Bus.Publish(new UserApprovalCompleted(approved, userId, true, null));
        Assert.NotNull(await harness.Saga.Exists(approved, m => m.Storing));
        var counts = counter.Counts.ToDictionary();
        Assert.Equal(1, counts["AwaitingApproval"]);
        Assert.Equal(1, counts["Storing"]);
    }
}
