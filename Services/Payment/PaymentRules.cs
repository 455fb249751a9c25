using System.Globalization;

namespace SagaDemo.Services.Payment;

/// <summary>Deterministic payment decision: decline blocked customers and amounts over the limit.</summary>
public sealed class PaymentRules(PaymentOptions options)
{
    readonly HashSet<string> _blocked = new(options.EffectiveBlockedCustomers, StringComparer.Ordinal);

    public PaymentRecord Decide(Guid orderId, string customerId, decimal amount, DateTimeOffset at)
    {
        if (_blocked.Contains(customerId))
            return new(orderId, customerId, amount, false, $"customer '{customerId}' is blocked", at);
        if (amount > options.MaxOrderAmount)
            return new(orderId, customerId, amount, false,
                $"amount {amount.ToString("0.00", CultureInfo.InvariantCulture)} exceeds the limit of " +
                options.MaxOrderAmount.ToString("0.00", CultureInfo.InvariantCulture), at);
        return new(orderId, customerId, amount, true, null, at);
    }
}
