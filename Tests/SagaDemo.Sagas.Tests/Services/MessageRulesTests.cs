using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;
using SagaDemo.Services.Hosting;

namespace SagaDemo.Sagas.Tests.Services;

/// <summary>What every consumer holds a message to, whoever produced it: the API's rules and a range for every number.</summary>
public sealed class MessageRulesTests
{
    static readonly Guid Id = Guid.NewGuid();
    static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    public static TheoryData<object> Valid => new()
    {
        new UserCreateRequested(Id, "hans", "hans@example.com"),
        new UserApprovalRequested(Id, Id, "hans", null),
        new StoreUser(Id, Id, "hans", null, At, "shop"),
        new OrderSubmitted(Id, "c-1", [new OrderItem("apple", 1000)], At),
        new ReserveStock(Id, [new OrderItem("apple", 1)]),
        new ChargePayment(Id, "c-1", 0.01m),
        new StockReserved(Id, OrderAmounts.Max),
        new PaymentCharged(Id, 27.30m),
        new OrderCreateCompleted(Id, "failed", null, null, "out of stock"),
        new OrderLifecycleEvent(Id, "c-1", "cancelled", null, "out of stock", At),
        new ReleaseStock(Id),
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_message_within_every_rule_passes(object message) => Assert.Null(MessageRules.Violation(message));

    public static TheoryData<object, string> Invalid => new()
    {
        { new UserCreateRequested(Id, new string('n', 101), null), "name: name must be at most 100 characters." },
        { new UserApprovalRequested(Id, Id, "ha\u0007ns", null), "name: name must not contain control characters." },
        { new StoreUser(Id, Id, "hans", "a\u0000@b.co", At), "email: email must not contain control characters." },
        { new OrderSubmitted(Id, "c-1", [new OrderItem("unicorn", -50)], At), "items[0].quantity: quantity must be between 1 and 1000." },
        { new ReserveStock(Id, [.. Enumerable.Repeat(new OrderItem("apple", 1), 51)]), "items: items must list at most 50 items." },
        { new ChargePayment(Id, "c-1", -999.50m), "amount: amount must be above 0" },
        { new StockReserved(Id, 0m), "amount: amount must be above 0" },
        { new PaymentCharged(Id, OrderAmounts.Max + 0.01m), "amount: amount must be above 0" },
        { new OrderCreateCompleted(Id, "completed", -1m, "TRK", null), "amount: amount must be above 0" },
        { new OrderLifecycleEvent(Id, "c-1", "completed", decimal.MaxValue, null, At), "amount: amount must be above 0" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_message_breaking_a_rule_is_refused_naming_field_and_rule(object message, string reason) =>
        Assert.StartsWith(reason, MessageRules.Violation(message));
}
