using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SagaDemo.Contracts.Users;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Services.Hosting.Deadlines;
using SagaDemo.Services.Users.Deadlines;
using SagaDemo.Sagas.Tests.Support;
using SagaDemo.Testing;

namespace SagaDemo.Sagas.Tests.Sagas;

/// <summary>The real watcher over the real saga and its repository; the test plays the approval service.</summary>
public sealed class ApprovalDeadlineWatcherTests
{
    sealed record Watching(ApprovalDeadlineWatcher Watcher, ApprovalActivity Activity);

    static Watching Watch(UserSagaHarness h, TimeProvider clock, TimeSpan interval)
    {
        var activity = new ApprovalActivity(clock);
        var machine = h.Machine;
        var source = new RepositoryDeadlineSource<UserRegistrationState>(
            h.Provider.GetRequiredService<IQuerySagaRepository<UserRegistrationState>>(), machine,
            now => s => s.ApprovalDeadline != null && s.ApprovalDeadline < now, [machine.AwaitingApproval, machine.Approving]);
        var options = Options.Create(new UserRegistrationOptions
        {
            ApprovalTimeout = h.Provider.GetRequiredService<IOptions<UserRegistrationOptions>>().Value.ApprovalTimeout,
            DeadlineCheckInterval = interval,
        });
        var watcher = new ApprovalDeadlineWatcher(source, h.Provider.GetRequiredService<IBus>(), clock, options, activity, machine,
            NullLogger<ApprovalDeadlineWatcher>.Instance);
        return new Watching(watcher, activity);
    }

    static async Task<(Guid OperationId, Guid UserId)> RequestAsync(UserSagaHarness h, string name = "hans")
    {
        var operationId = Guid.NewGuid();
        await h.Bus.PublishAndSettleAsync(new UserCreateRequested(operationId, name, null));
        Assert.NotNull(await h.Saga.Exists(operationId, m => m.AwaitingApproval));
        return (operationId, h.Instance(operationId)!.UserId);
    }

    [Fact]
    public async Task A_backlog_longer_than_the_deadline_fails_no_operation()
    {
        // 40 requests in front of a busy approval service that takes one per simulated second: the last waits
        // 40 s in the backlog, longer than the 30 s deadline. The watcher checks every simulated 2 s throughout.
        await using var h = await UserSagaHarness.StartAsync();
        var (watcher, activity) = Watch(h, h.Clock, TimeSpan.FromSeconds(2));
        var requests = new List<(Guid OperationId, Guid UserId)>();
        for (var i = 0; i < 40; i++)
            requests.Add(await RequestAsync(h, $"burst{i}"));
        Assert.True(requests.Count * TimeSpan.FromSeconds(1) > UserSagaHarness.ApprovalTimeout);

        var fired = 0;
        foreach (var (operationId, userId) in requests)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            await h.Bus.PublishAndSettleAsync(new UserApprovalReceived(operationId, userId, h.Clock.GetUtcNow()));
            activity.Seen();
            fired += await watcher.FireDueAsync(CancellationToken.None);
            await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, true, null));
            activity.Seen();
        }

        Assert.Equal(0, fired);
        Assert.Empty(h.Bus.PublishedOf<UserApprovalTimedOut>(_ => true));
        Assert.All(requests, r => Assert.Equal(nameof(UserRegistrationStateMachine.Storing), h.Instance(r.OperationId)!.CurrentState));
    }

    [Fact]
    public async Task A_request_the_approval_service_took_times_out_after_its_receipt_even_while_the_service_is_busy()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (watcher, activity) = Watch(h, h.Clock, TimeSpan.FromMinutes(1));
        var (operationId, userId) = await RequestAsync(h);
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        await h.Bus.PublishAndSettleAsync(new UserApprovalReceived(operationId, userId, h.Clock.GetUtcNow()));

        h.Clock.Advance(UserSagaHarness.ApprovalTimeout - TimeSpan.FromSeconds(1));
        activity.Seen(); // answering others, but not this one
        Assert.Equal(0, await watcher.FireDueAsync(CancellationToken.None));

        h.Clock.Advance(TimeSpan.FromSeconds(2));
        activity.Seen();
        Assert.Equal(1, await watcher.FireDueAsync(CancellationToken.None));
        Assert.NotNull(await h.Saga.Exists(operationId, m => m.TimedOut));
        var failed = Assert.Single(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));
        Assert.Equal(UserRegistrationStateMachine.ApprovalTimedOutError, failed.Error);

        // Timed out: no longer waiting, so nothing fires again.
        h.Clock.Advance(SagaDeadlineWatcher<UserRegistrationState>.RefireAfter);
        Assert.Equal(0, await watcher.FireDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_request_never_taken_times_out_only_once_the_approval_service_has_been_silent_for_the_timeout()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (watcher, activity) = Watch(h, h.Clock, TimeSpan.FromMinutes(1));
        var (operationId, _) = await RequestAsync(h);

        h.Clock.Advance(UserSagaHarness.ApprovalTimeout + TimeSpan.FromSeconds(20));
        activity.Seen(); // 20 s ago the approval service still answered something
        h.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(0, await watcher.FireDueAsync(CancellationToken.None));

        h.Clock.Advance(UserSagaHarness.ApprovalTimeout - TimeSpan.FromSeconds(20));
        Assert.Equal(1, await watcher.FireDueAsync(CancellationToken.None));
        Assert.NotNull(await h.Saga.Exists(operationId, m => m.TimedOut));
    }

    [Fact]
    public async Task A_due_instance_is_not_fired_again_until_the_refire_time_passed()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (watcher, _) = Watch(h, h.Clock, TimeSpan.FromMinutes(1));
        var (operationId, userId) = await RequestAsync(h);
        await h.Bus.PublishAndSettleAsync(new UserApprovalReceived(operationId, userId, h.Clock.GetUtcNow()));
        // The saga's clock is behind the watcher's: it refuses the first timeout as early.
        var sagaClockBehind = h.Clock.GetUtcNow();
        var watcherClock = new ManualClock(sagaClockBehind + UserSagaHarness.ApprovalTimeout + TimeSpan.FromSeconds(1));
        var (skewed, _) = Watch(h, watcherClock, TimeSpan.FromMinutes(1));

        Assert.Equal(1, await skewed.FireDueAsync(CancellationToken.None));
        // Wait until the saga has refused it: consumed after the saga's clock moves on, it would be accepted.
        Assert.True(await h.Bus.EventuallyConsumedAsync<UserApprovalTimedOut>(m => m.Context.Message.OperationId == operationId));
        Assert.Equal(nameof(UserRegistrationStateMachine.Approving), h.Instance(operationId)!.CurrentState);
        watcherClock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await skewed.FireDueAsync(CancellationToken.None));

        h.Clock.Advance(UserSagaHarness.ApprovalTimeout);
        watcherClock.Advance(SagaDeadlineWatcher<UserRegistrationState>.RefireAfter);
        Assert.Equal(1, await skewed.FireDueAsync(CancellationToken.None));
        Assert.NotNull(await h.Saga.Exists(operationId, m => m.TimedOut));
        Assert.Equal(0, await watcher.FireDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Answered_approvals_never_time_out()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (watcher, _) = Watch(h, h.Clock, TimeSpan.FromMinutes(1));
        var (operationId, userId) = await RequestAsync(h);
        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, true, null));

        h.Clock.Advance(UserSagaHarness.ApprovalTimeout * 2);

        Assert.Equal(0, await watcher.FireDueAsync(CancellationToken.None));
        Assert.Empty(h.Bus.PublishedOf<UserApprovalTimedOut>(_ => true));
    }

    [Fact]
    public async Task Running_watcher_times_out_a_request_of_a_silent_approval_service_on_the_real_clock()
    {
        await using var h = await UserSagaHarness.StartAsync(services =>
            services.Configure<UserRegistrationOptions>(o => o.ApprovalTimeout = TimeSpan.FromMilliseconds(100)));
        var (watcher, _) = Watch(h, TimeProvider.System, TimeSpan.FromMilliseconds(50));
        using var running = watcher;
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            // The saga stamps its deadline with the harness clock; keep it in step with real time.
            h.Clock.Advance(DateTimeOffset.UtcNow - h.Clock.GetUtcNow());
            var operationId = Guid.NewGuid();
            await h.Bus.PublishAndSettleAsync(new UserCreateRequested(operationId, "hans", null));
            h.Clock.Advance(TimeSpan.FromMilliseconds(200));

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
