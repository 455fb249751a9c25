using SagaDemo.Services.Http.Access;

namespace SagaDemo.Host.OperationsConsole;

/// <summary>
/// Section <c>Console</c>. With access control on, only the client ids in <see cref="Operators"/> see every client's
/// operations and the dead letters (which hold any client's records) and may replay or discard them; any other client
/// sees its own operations only. With access control off everyone is the anonymous operator (the embedded dev run).
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    public List<string> Operators { get; set; } = [];

    /// <summary>
    /// Where the trace UI shows a trace, with <c>{traceId}</c> where its id goes, e.g.
    /// <c>http://jaeger:16686/trace/{traceId}</c> or Grafana Tempo's explore URL. Unset: trace ids are shown as text.
    /// </summary>
    public string? TraceUrl { get; set; }

    public const string TraceIdPlaceholder = "{traceId}";

    public static bool IsTraceUrlTemplate(string template) =>
        template.Contains(TraceIdPlaceholder, StringComparison.Ordinal)
        && Uri.TryCreate(template.Replace(TraceIdPlaceholder, "0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public string? TraceLink(string? traceId) =>
        traceId is null || string.IsNullOrWhiteSpace(TraceUrl) ? null
            : TraceUrl.Replace(TraceIdPlaceholder, Uri.EscapeDataString(traceId), StringComparison.Ordinal);

    /// <summary>The caller's name in recorded decisions, and whether it is an operator.</summary>
    public (string Name, bool IsOperator) Caller(HttpContext http, AccessOptions access)
    {
        if (!access.IsEnabled())
            return ("anonymous", true);
        var client = ClientIdentity.Of(http);
        return (client ?? "anonymous", client is not null && Operators.Contains(client, StringComparer.Ordinal));
    }
}
