namespace SagaDemo.Services.Payment;

/// <summary>Configuration section <c>Payment</c>.</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payment";

    public static readonly IReadOnlyList<string> DefaultBlockedCustomers = ["blocked-customer"];

    /// <summary>Orders above this amount are declined.</summary>
    public decimal MaxOrderAmount { get; set; } = 1000m;

    /// <summary>Customer ids (exact match) whose payments are declined. Null means the defaults.</summary>
    public List<string>? BlockedCustomers { get; set; }

    public IReadOnlyList<string> EffectiveBlockedCustomers => BlockedCustomers ?? DefaultBlockedCustomers;
}
