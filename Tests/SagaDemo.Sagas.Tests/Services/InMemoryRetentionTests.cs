using System.Text.Json;
using MassTransit;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SagaDemo.Contracts.Users;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Services.Hosting.Retention;
using SagaDemo.Services.Operations;
using SagaDemo.Sagas.Tests.Sagas;
using SagaDemo.Sagas.Tests.Support;

namespace SagaDemo.Sagas.Tests.Services;

/// <summary>In-memory stores forget finished work after retention, and only that.</summary>
public sealed class InMemoryRetentionTests
{
    static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    static Operation Pending(string? key = null) => new(Guid.NewGuid(), OperationTypes.UserCreate, OperationStatus.Pending, T0, T0,
        JsonSerializer.SerializeToElement(new { name = "hans" }), null, null, null) { IdempotencyKey = key };

    [Fact]
    public async Task Operation_store_forgets_finished_operations_and_their_keys_after_retention_only()
    {
        var store = new InMemoryOperationStore();
        var old = await store.AddAsync(Pending("k-old"), default);
        await store.FinishAsync(old.Id, new(OperationStatus.Completed, null, null, null), T0, default);
        var recent = await store.AddAsync(Pending("k-recent"), default);
        await store.FinishAsync(recent.Id, new(OperationStatus.Failed, null, "no", null), T0.AddHours(2), default);
        var pending = await store.AddAsync(Pending(), default);

        Assert.Equal(1, await store.PruneAsync(T0.AddHours(1), default));

        Assert.Null(await store.FindAsync(old.Id, default));
        Assert.NotNull(await store.FindAsync(recent.Id, default));
        Assert.NotNull(await store.FindAsync(pending.Id, default));
        // A repeated key within retention still finds its operation; one past retention starts a new one.
        Assert.Equal(recent.Id, (await store.AddAsync(Pending("k-recent"), default)).Id);
        Assert.NotEqual(old.Id, (await store.AddAsync(Pending("k-old"), default)).Id);
    }

    [Fact]
    public async Task Operation_store_under_a_steady_stream_holds_no_more_than_retention_and_one_check_interval_of_work()
    {
        // 50 operations a second for 10 minutes, each finished a second after it started, pruned by the retention service
        // on its schedule: what the store holds levels off at what finished within Period + CheckInterval (+ the pending).
        var clock = new ManualClock(T0);
        var store = new InMemoryOperationStore(clock);
        var options = new RetentionOptions { Period = TimeSpan.FromSeconds(40), CheckInterval = TimeSpan.FromSeconds(10) };
        var retention = new InMemoryRetentionService([store], Options.Create(options), clock, NullLogger<InMemoryRetentionService>.Instance);
        const int perSecond = 50;
        var bound = perSecond * (int)(options.Period + options.CheckInterval + TimeSpan.FromSeconds(1)).TotalSeconds;
        var held = new List<int>();
        Guid[] previous = [];
        for (var second = 1; second <= 600; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            foreach (var id in previous)
                await store.FinishAsync(id, new(OperationStatus.Completed, null, null, null), clock.GetUtcNow(), default);
            previous = new Guid[perSecond];
            for (var i = 0; i < perSecond; i++)
                previous[i] = (await store.AddAsync(Pending($"k-{second}-{i}") with { CreatedAt = clock.GetUtcNow() }, default)).Id;
            if (second % (int)options.CheckInterval.TotalSeconds == 0)
                await retention.PruneOnceAsync(default);
            var count = await store.CountPendingAsync(TimeSpan.FromDays(1), default);
            held.Add(count.Total + count.Finished);
        }

        Assert.All(held, n => Assert.InRange(n, 0, bound));
        // Levelled off, not merely capped late: the last 5 minutes hold as much as the first minute after retention filled.
        Assert.Equal(held.Skip(60).Take(60).Max(), held.Skip(300).Max());
    }

    [Fact]
    public async Task Saga_repository_evicts_terminal_instances_after_retention_and_keeps_waiting_ones()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var repository = h.Provider.GetRequiredService<IndexedSagaDictionary<UserRegistrationState>>();
        var eviction = new TerminalSagaEviction<UserRegistrationState>(repository,
            new HashSet<string> { nameof(UserRegistrationStateMachine.Completed), nameof(UserRegistrationStateMachine.Rejected) },
            h.Clock);
        h.Machine.ConnectStateObserver(eviction);

        var rejected = Guid.NewGuid();
        await h.Bus.PublishAndSettleAsync(new UserCreateRequested(rejected, "admin", null));
        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(rejected, h.Instance(rejected)!.UserId, false, "deny list"));
        Assert.NotNull(await h.Saga.Exists(rejected, m => m.Rejected));
        var waiting = Guid.NewGuid();
        await h.Bus.PublishAndSettleAsync(new UserCreateRequested(waiting, "hans", null));

        h.Clock.Advance(TimeSpan.FromHours(1));
        var rejectedLater = Guid.NewGuid();
        await h.Bus.PublishAndSettleAsync(new UserCreateRequested(rejectedLater, "root", null));
        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(rejectedLater, h.Instance(rejectedLater)!.UserId, false, "deny list"));

        Assert.Equal(0, await eviction.PruneAsync(h.Clock.GetUtcNow() - TimeSpan.FromHours(2), default));
        Assert.Equal(1, await eviction.PruneAsync(h.Clock.GetUtcNow() - TimeSpan.FromMinutes(30), default));

        Assert.Equal(2, repository.Count);
        Assert.Null(repository[rejected]);
        Assert.NotNull(repository[rejectedLater]);
        Assert.NotNull(repository[waiting]);
        // Within retention a duplicate still finds its instance and changes nothing.
        await h.Bus.PublishAndSettleAsync(new UserCreateRequested(rejectedLater, "root", null));
        Assert.Single(h.Bus.PublishedOf<UserApprovalRequested>(m => m.OperationId == rejectedLater));
        Assert.Equal(nameof(UserRegistrationStateMachine.Rejected), h.Instance(rejectedLater)!.CurrentState);
    }
}
