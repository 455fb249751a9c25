using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Services.Hosting.Retention;
using SagaDemo.Services.Payment;
using SagaDemo.Services.Statistics;
using SagaDemo.Services.Warehouse;

namespace SagaDemo.Api.Tests.Api;

/// <summary>With in-memory state, the retention service prunes the very store instances the order path's services use.</summary>
public sealed class RetainedStoresTests(SagaDemoApiFactory factory) : IClassFixture<SagaDemoApiFactory>
{
    [Fact]
    public void The_order_path_stores_in_use_are_the_ones_retention_prunes()
    {
        var services = factory.Services;
        var retained = services.GetServices<IRetainedStore>().ToList();

        Assert.Contains(retained, r => ReferenceEquals(r, services.GetRequiredService<IPaymentStore>()));
        Assert.Contains(retained, r => ReferenceEquals(r, services.GetRequiredService<IInventoryStore>()));
        Assert.Contains(retained, r => ReferenceEquals(r, services.GetRequiredService<IStatisticsStore>()));
    }
}
