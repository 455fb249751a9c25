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

    /// <summary>The caller's name in recorded decisions, and whether it is an operator.</summary>
    public (string Name, bool IsOperator) Caller(HttpContext http, AccessOptions access)
    {
        if (!access.IsEnabled())
            return ("anonymous", true);
        var client = ClientIdentity.Of(http);
        return (client ?? "anonymous", client is not null && Operators.Contains(client, StringComparer.Ordinal));
    }
}
