using SagaDemo.Services.Statistics;
using K = SagaDemo.Contracts.Orders.OrderLifecycleKind;

namespace SagaDemo.Tests.Services;

public sealed class StatisticsStoreTests
{
    [Fact]
    public async Task Counts_each_order_once_per_kind_and_sums_completed_revenue()
    {
        var store = new InMemoryStatisticsStore();
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
    public async Task Concurrent_duplicates_count_once()
    {
        var store = new InMemoryStatisticsStore();
        var orders = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToArray();

        await Task.WhenAll(orders.SelectMany(id => Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => store.RecordOnceAsync(id, K.Completed, 2m, default)))));

        var stats = await store.GetAsync(default);
        Assert.Equal(50, stats.Completed);
        Assert.Equal(100m, stats.Revenue);
    }
}
