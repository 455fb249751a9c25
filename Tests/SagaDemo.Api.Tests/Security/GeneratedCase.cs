namespace SagaDemo.Api.Tests.Security;

/// <summary>What a generated request deserves: a 2xx, a 4xx, or (where the rules leave room) anything but a 5xx.</summary>
public enum Expect
{
    Success,
    ClientError,
    NotServerError,
}

/// <summary>One generated HTTP request and the answer class it must get.</summary>
public sealed record GeneratedCase(
    string Category,
    string Method,
    string Path,
    byte[]? Body,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    Expect Expect)
{
    public override string ToString()
    {
        var body = Body is null ? "" : System.Text.Encoding.UTF8.GetString(Body);
        var shown = body.Length > 160 ? body[..160] + $"...({Body!.Length} bytes)" : body;
        var path = Path.Length > 120 ? Path[..120] + "..." : Path;
        var headers = string.Join(", ", Headers.Select(h => $"{h.Key}: {(h.Value.Length > 40 ? h.Value[..40] + "..." : h.Value)}"));
        return $"[{Category}] {Method} {path} ct={ContentType ?? "-"} {{{headers}}} body={shown}";
    }
}
