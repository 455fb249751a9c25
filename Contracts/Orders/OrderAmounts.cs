namespace SagaDemo.Contracts.Orders;

/// <summary>Bounds every amount of the order flow is held to, wherever it is read.</summary>
public static class OrderAmounts
{
    /// <summary>
    /// No order reaches it: 50 lines of at most 1,000 units would need a unit price of 20,000 (the catalog's dearest is
    /// 1,299). An amount above it, or not above zero, is no order's price.
    /// </summary>
    public const decimal Max = 1_000_000_000m;
}
