using SagaDemo.Services.Payment;

namespace SagaDemo.Sagas.Tests.Services;

public sealed class PaymentRulesTests
{
    static readonly PaymentRules Defaults = new(new PaymentOptions());

    [Theory]
    [InlineData(0.5)]
    [InlineData(1000)]
    public void Charges_amounts_up_to_the_limit(decimal amount)
    {
        var record = Defaults.Decide(Guid.NewGuid(), "c-1", amount, DateTimeOffset.UnixEpoch);
        Assert.True(record.Charged);
        Assert.Null(record.Reason);
    }

    [Fact]
    public void Declines_amounts_over_the_limit()
    {
        var record = Defaults.Decide(Guid.NewGuid(), "c-1", 1000.01m, DateTimeOffset.UnixEpoch);
        Assert.False(record.Charged);
        Assert.Equal("amount 1000.01 exceeds the limit of 1000.00", record.Reason);
    }

    [Fact]
    public void Declines_blocked_customers_whatever_the_amount()
    {
        var record = Defaults.Decide(Guid.NewGuid(), "blocked-customer", 1m, DateTimeOffset.UnixEpoch);
        Assert.False(record.Charged);
        Assert.Equal("customer 'blocked-customer' is blocked", record.Reason);
    }

    [Fact]
    public void Configured_limit_and_block_list_apply()
    {
        var rules = new PaymentRules(new PaymentOptions { MaxOrderAmount = 10m, BlockedCustomers = ["c-9"] });
        Assert.False(rules.Decide(Guid.NewGuid(), "c-1", 10.5m, DateTimeOffset.UnixEpoch).Charged);
        Assert.False(rules.Decide(Guid.NewGuid(), "c-9", 1m, DateTimeOffset.UnixEpoch).Charged);
        Assert.True(rules.Decide(Guid.NewGuid(), "blocked-customer", 1m, DateTimeOffset.UnixEpoch).Charged);
    }

    [Fact]
    public async Task Store_keeps_the_first_decision_per_order()
    {
        var store = new InMemoryPaymentStore();
        var orderId = Guid.NewGuid();
        var first = Defaults.Decide(orderId, "c-1", 10m, DateTimeOffset.UnixEpoch);

        Assert.Equal(first, await store.RecordOnceAsync(first, CancellationToken.None));
        var again = Defaults.Decide(orderId, "c-1", 5000m, DateTimeOffset.UnixEpoch);
        Assert.Equal(first, await store.RecordOnceAsync(again, CancellationToken.None));
    }
}
