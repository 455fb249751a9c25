using SagaDemo.Testing;
using SagaDemo.Persistence.Payment;
using SagaDemo.Persistence.Statistics;
using SagaDemo.Persistence.Users;
using SagaDemo.Services.Payment;
using SagaDemo.Services.Statistics;
using SagaDemo.Services.Users;
using K = SagaDemo.Contracts.Orders.OrderLifecycleKind;

namespace SagaDemo.Persistence.Tests.Stores;

/// <summary>The idempotent stores (users, payments, statistics), run against each implementation.</summary>
public abstract class IdempotentStoreContract
{
    protected abstract Task<IUserStore> NewUserStoreAsync();
    protected abstract Task<IPaymentStore> NewPaymentStoreAsync();
    protected abstract Task<IStatisticsStore> NewStatisticsStoreAsync();

    static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public async Task A_user_is_added_once_by_id()
    {
        var store = await NewUserStoreAsync();
        var user = new User(Guid.NewGuid(), "hans", null, At, Guid.NewGuid()) { Owner = "shop" };
        var nobodys = new User(Guid.NewGuid(), "kcat", null, At, Guid.NewGuid());

        Assert.True(await store.AddAsync(user, default));
        Assert.True(await store.AddAsync(nobodys, default));
        Assert.Null((await store.FindAsync(nobodys.Id, default))!.Owner);
        Assert.False(await store.AddAsync(user with { Name = "other" }, default));

        Assert.Equal(user, await store.FindAsync(user.Id, default));
        Assert.Null(await store.FindAsync(Guid.NewGuid(), default));
    }

    [Fact]
    public async Task The_first_payment_decision_per_order_is_kept_even_under_racing_duplicates()
    {
        var store = await NewPaymentStoreAsync();
        var orderId = Guid.NewGuid();
        var declined = new PaymentRecord(orderId, "c-1", 12.34m, false, "blocked", At);
        Assert.Equal(declined, await store.RecordOnceAsync(declined, default));
        Assert.Equal(declined, await store.RecordOnceAsync(declined with { Charged = true, Reason = null }, default));

        var racing = Guid.NewGuid();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            store.RecordOnceAsync(new PaymentRecord(racing, $"c-{i}", i, i % 2 == 0, null, At), default))));
        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task Statistics_count_each_order_once_per_kind_and_sum_completed_revenue()
    {
        var store = await NewStatisticsStoreAsync();
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();

        Assert.True(await store.RecordOnceAsync(a, K.Submitted, null, default));
        Assert.True(await store.RecordOnceAsync(a, K.Completed, 10.5m, default));
        Assert.False(await store.RecordOnceAsync(a, K.Completed, 10.5m, default));
        Assert.False(await store.RecordOnceAsync(a, K.Submitted, null, default));
        await store.RecordOnceAsync(b, K.Submitted, null, default);
        await store.RecordOnceAsync(b, K.Cancelled, null, default);
        await store.RecordOnceAsync(b, K.Cancelled, null, default);
        await store.RecordOnceAsync(c, K.Submitted, null, default);

        Assert.Equal(new OrderStatistics(3, 1, 1, 1, 10.5m), await store.GetAsync(default));
    }

    [Fact]
    public async Task Concurrent_duplicate_final_events_count_once()
    {
        var store = await NewStatisticsStoreAsync();
        var orders = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid()).ToArray();

        await Task.WhenAll(orders.SelectMany(id => Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => store.RecordOnceAsync(id, K.Completed, 2m, default)))));

        var stats = await store.GetAsync(default);
        Assert.Equal(30, stats.Completed);
        Assert.Equal(60m, stats.Revenue);
    }
}

public sealed class InMemoryIdempotentStoreTests : IdempotentStoreContract
{
    protected override Task<IUserStore> NewUserStoreAsync() => Task.FromResult<IUserStore>(new InMemoryUserStore());
    protected override Task<IPaymentStore> NewPaymentStoreAsync() => Task.FromResult<IPaymentStore>(new InMemoryPaymentStore());
    protected override Task<IStatisticsStore> NewStatisticsStoreAsync() => Task.FromResult<IStatisticsStore>(new InMemoryStatisticsStore());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresIdempotentStoreTests(PostgresServerFixture fixture) : IdempotentStoreContract, IAsyncLifetime
{
    readonly FreshSchemas _schemas = new(fixture);

    protected override async Task<IUserStore> NewUserStoreAsync()
    {
        var (dataSource, schema) = await _schemas.CreateAsync("users", s => [UserTables.Users(2, s), UserTables.Owner(3, s)]);
        return new PostgresUserStore(dataSource, schema);
    }

    protected override async Task<IPaymentStore> NewPaymentStoreAsync()
    {
        var (dataSource, schema) = await _schemas.CreateAsync("payment", s => PaymentTables.Payments(2, s));
        return new PostgresPaymentStore(dataSource, schema);
    }

    protected override async Task<IStatisticsStore> NewStatisticsStoreAsync()
    {
        var (dataSource, schema) = await _schemas.CreateAsync("stats", s => StatisticsTables.CountedEvents(2, s));
        return new PostgresStatisticsStore(dataSource, schema);
    }

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _schemas.DisposeAsync();
}
