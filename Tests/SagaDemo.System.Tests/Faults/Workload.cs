namespace SagaDemo.System.Tests.Faults;

public enum OperationKind { User, Order }

/// <summary>One operation the suite started and follows to its end: through the API, or by records produced directly.</summary>
public sealed record TrackedOperation(Guid Id, OperationKind Kind, IReadOnlyDictionary<string, int> Items, bool ViaApi = true);

/// <summary>One POST the load sends.</summary>
public sealed record OperationRequest(string Path, string Json, OperationKind Kind, IReadOnlyDictionary<string, int> Items);

/// <summary>
/// What the load asks for: user creations (every tenth name on the deny list, so those fail) and orders from the
/// default catalog mixed so that every ending is exercised while faults hit: completed orders, out of stock (the
/// ten monitors run out within a few cases, which is what makes "never oversold" a real check) and a declined
/// payment that releases its reserved laptop (compensation).
/// </summary>
public static class Workload
{
    static readonly (string Sku, int Quantity)[][] OrderMix =
    [
        [("apple", 3)],
        [("book", 2)],
        [("monitor", 1)],
        [("laptop", 1)], // 1299.00 exceeds Payment:MaxOrderAmount (1000): declined, stock released
        [("apple", 1), ("book", 1)],
    ];

    /// <summary><paramref name="users"/> user and <paramref name="orders"/> order creations, interleaved.</summary>
    public static List<OperationRequest> Mixed(int users, int orders)
    {
        var requests = new List<OperationRequest>();
        for (int u = 0, o = 0; u < users || o < orders;)
        {
            // Spread orders evenly among users, so both flows are in flight when the fault hits.
            if (o < orders && (u >= users || o * users <= u * orders))
                requests.Add(Order(o++));
            else
                requests.Add(User(u++));
        }
        return requests;
    }

    public static OperationRequest User(int i)
    {
        var name = i % 10 == 0 ? "mallory" : $"user-{Guid.NewGuid():N}";
        return new("/operations/user-create", $$"""{"name":"{{name}}"}""", OperationKind.User, new Dictionary<string, int>());
    }

    public static OperationRequest Order(int i)
    {
        var lines = OrderMix[i % OrderMix.Length];
        var items = string.Join(",", lines.Select(l => $$"""{"sku":"{{l.Sku}}","quantity":{{l.Quantity}}}"""));
        return new("/operations/order-create", $$"""{"customerId":"c-{{i}}","items":[{{items}}]}""", OperationKind.Order,
            lines.ToDictionary(l => l.Sku, l => l.Quantity));
    }

    /// <summary>
    /// The failures the load provokes on purpose: a denied name, stock run out, a declined payment. Any other reason
    /// (an approval that timed out, an operation that could not be submitted) means a fault got through.
    /// </summary>
    public static bool IsBusinessFailure(OperationKind kind, string error) => kind switch
    {
        OperationKind.User => error.StartsWith("approval failed", StringComparison.Ordinal),
        _ => error.StartsWith("out of stock", StringComparison.Ordinal) || error.StartsWith("payment declined", StringComparison.Ordinal),
    };
}
