using System.Text.Unicode;

namespace SagaDemo.Load.Workload;

/// <summary>
/// The JSON bodies the load sends. Users get unique generated names; a share of them (the reject
/// ratio) use a name on the approval service's default deny list, so the failure path is exercised
/// too. Orders buy <see cref="OrderQuantity"/> of one SKU from <see cref="OrderSkus"/>, round robin.
/// </summary>
/// <remarks>
/// The warehouse's stock is finite (default catalog: apple 1000, book 200, keyboard 50, ...) and a
/// completed order keeps its stock, so a long order run drains it and later orders fail with
/// "out of stock". That is a real saga outcome (and is reported by reason), but it is a different
/// workload: choose cheap, plentiful SKUs with quantity 1, or a short run, to measure completions.
/// </remarks>
public sealed class RequestBodies(double rejectRatio, IReadOnlyList<string> orderSkus, int orderQuantity, string runTag)
{
    /// <summary>On ApprovalOptions.DefaultDeniedNames, so the approval service always denies it.</summary>
    public const string DeniedName = "mallory";

    public static readonly IReadOnlyList<string> DefaultOrderSkus = ["apple"];

    long _users;
    long _orders;

    public double RejectRatio { get; } = rejectRatio;
    public IReadOnlyList<string> OrderSkus { get; } = orderSkus.Count > 0 ? orderSkus : DefaultOrderSkus;
    public int OrderQuantity { get; } = orderQuantity;

    /// <param name="uniform">A uniform random number in [0, 1) that decides whether this user is to be denied.</param>
    public byte[] User(double uniform)
    {
        var n = Interlocked.Increment(ref _users);
        Span<byte> buffer = stackalloc byte[256];
        var fits = uniform < RejectRatio
            ? Utf8.TryWrite(buffer, $$"""{"name":"{{DeniedName}}","email":"{{DeniedName}}-{{runTag}}-{{n}}@example.com"}""", out var written)
            : Utf8.TryWrite(buffer, $$"""{"name":"load-{{runTag}}-{{n}}","email":"load-{{runTag}}-{{n}}@example.com"}""", out written);
        return Exact(buffer, fits, written);
    }

    public byte[] Order()
    {
        var n = Interlocked.Increment(ref _orders);
        var sku = OrderSkus[(int)((n - 1) % OrderSkus.Count)];
        Span<byte> buffer = stackalloc byte[256];
        var fits = Utf8.TryWrite(buffer,
            $$"""{"customerId":"load-{{runTag}}-{{n % 1000}}","items":[{"sku":"{{sku}}","quantity":{{OrderQuantity}}}]}""", out var written);
        return Exact(buffer, fits, written);
    }

    public byte[] For(FlowKind flow, double uniform) => flow == FlowKind.User ? User(uniform) : Order();

    static byte[] Exact(ReadOnlySpan<byte> buffer, bool fits, int written) =>
        fits ? buffer[..written].ToArray()
            : throw new InvalidOperationException("request body longer than its buffer; shorten the SKU or run tag");
}
