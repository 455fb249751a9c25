using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;
using SagaDemo.Services.Http;
using SagaDemo.Services.Operations;

namespace SagaDemo.Services.Hosting;

/// <summary>
/// What every consumer holds a message's content to, whoever wrote the record: the HTTP API's own rules
/// (<see cref="OperationRequestValidation"/>) for what a client asks for, wherever it travels on, and a range for every
/// number. The Kafka rider applies them to each record before a consumer or saga sees it.
/// </summary>
public static class MessageRules
{
    /// <summary>Why <paramref name="message"/> is refused ("field: rule; ..."), or null when it keeps every rule.</summary>
    public static string? Violation(object message)
    {
        var errors = new Dictionary<string, string[]>();
        switch (message)
        {
            case UserCreateRequested m:
                Add(errors, OperationRequestValidation.Validate(new UserCreateRequest(m.Name, m.Email)));
                break;
            case UserApprovalRequested m:
                Add(errors, OperationRequestValidation.Validate(new UserCreateRequest(m.Name, m.Email)));
                break;
            case StoreUser m:
                Add(errors, OperationRequestValidation.Validate(new UserCreateRequest(m.Name, m.Email)));
                break;
            case OrderSubmitted m:
                Add(errors, OperationRequestValidation.Validate(new OrderCreateRequest(m.CustomerId, Items(m.Items))));
                break;
            case ReserveStock m:
                OperationRequestValidation.ValidateItems(errors, Items(m.Items));
                break;
            case ChargePayment m:
                OperationRequestValidation.RequireText(errors, "customerId", m.CustomerId, RequestLimits.MaxCustomerIdLength);
                Amount(errors, m.Amount);
                break;
            case StockReserved m:
                Amount(errors, m.Amount);
                break;
            case PaymentCharged m:
                Amount(errors, m.Amount);
                break;
            case OrderCreateCompleted { Amount: { } amount }:
                Amount(errors, amount);
                break;
            case OrderLifecycleEvent { Amount: { } amount }:
                Amount(errors, amount);
                break;
        }
        return errors.Count == 0 ? null : string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
    }

    static List<OrderItemRequest?> Items(IReadOnlyList<OrderItem?> items) =>
        [.. items.Select(i => i is null ? null : new OrderItemRequest(i.Sku, i.Quantity))];

    static void Amount(Dictionary<string, string[]> errors, decimal amount)
    {
        if (amount is <= 0 or > OrderAmounts.Max)
            errors["amount"] = [$"amount must be above 0 and at most {OrderAmounts.Max}."];
    }

    static void Add(Dictionary<string, string[]> errors, Dictionary<string, string[]> more)
    {
        foreach (var (field, messages) in more)
            errors[field] = messages;
    }
}
