using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SagaDemo.Contracts.Users;
using SagaDemo.Host.Deadlines;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Tests.Support;

namespace SagaDemo.Tests.Sagas;

public sealed class ApprovalDeadlineWatcherTests
{
    static ApprovalDeadlineWatcher Watcher(UserSagaHarness h, TimeProvider clock, TimeSpan interval) =>
        new(new SagaRepositoryDeadlineSource(h.Provider.GetRequiredService<IQuerySagaRepository<UserRegistrationState>>(), h.Machine),
            h.Provider.GetRequiredService<IBus>(), clock,
            Options.Create(new UserRegistrationOptions { DeadlineCheckInterval = interval }),
            NullLogger<ApprovalDeadlineWatcher>.Instance);

    [Fact]
    public async Task Fires_only_for_instances_past_their_deadline_and_only_while_awaiting_approval()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var watcher = Watcher(h, h.Clock, TimeSpan.FromMinutes(1));
        var operationId = Guid.NewGuid();
        await h.Bus.PublishAndSettleAsync(new UserCreateRequested(operationId, "hans", null));
        Assert.NotNull(await h.Saga.Exists(operationId, m => m.AwaitingApproval));

        h.Clock.Advance(UserSagaHarness.ApprovalTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await watcher.FireDueAsync(CancellationToken.None));

        h.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await watcher.FireDueAsync(CancellationToken.None));
        Assert.NotNull(await h.Saga.Exists(operationId, m => m.TimedOut));
        var failed = Assert.Single(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));
        Assert.Equal(UserRegistrationStateMachine.ApprovalTimedOutError, failed.Error);

        // Timed out: no longer awaiting approval, so nothing fires again.
        Assert.Equal(0, await watcher.FireDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Answered_approvals_never_time_out()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var watcher = Watcher(h, h.Clock, TimeSpan.FromMinutes(1));
        var operationId = Guid.NewGuid();
        await h.Bus.PublishAndSettleAsync(new UserCreateRequested(operationId, "hans", null));
        var userId = h.Instance(operationId)!.UserId;
        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, true, null));

        h.Clock.Advance(UserSagaHarness.ApprovalTimeout * 2);

        Assert.Equal(0, await watcher.FireDueAsync(CancellationToken.None));
        Assert.Empty(h.Bus.PublishedOf<UserApprovalTimedOut>(_ => true));
    }

    [Fact]
    public async Task Running_watcher_times_out_an_unanswered_approval_on_the_real_clock()
    {
        await using var h = await UserSagaHarness.StartAsync(services =>
            services.Configure<UserRegistrationOptions>(o => o.ApprovalTimeout = TimeSpan.FromMilliseconds(100)));
        using var watcher = Watcher(h, TimeProvider.System, TimeSpan.FromMilliseconds(50));
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            // The saga stamps its deadline with the harness clock; keep it in step with real time.
            h.Clock.Advance(DateTimeOffset.UtcNow - h.Clock.GetUtcNow());
            var operationId = Guid.NewGuid();
            await h.Bus.PublishAndSettleAsync(new UserCreateRequested(operationId, "hans", null));

            Assert.NotNull(await h.Saga.Exists(operationId, m => m.TimedOut, TimeSpan.FromSeconds(10)));
            Assert.True(await Eventually.TrueAsync(() =>
                h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId).Count == 1));
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }
}
