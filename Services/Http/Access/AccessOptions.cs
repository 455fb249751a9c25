namespace SagaDemo.Services.Http.Access;

/// <summary>How callers of the HTTP API are identified.</summary>
public enum AccessMode
{
    /// <summary>Everyone is anonymous and sees everything: the embedded dev run.</summary>
    None,

    /// <summary>Callers send a configured key in <c>X-Api-Key</c>; each key names a client id.</summary>
    ApiKey,

    /// <summary>Bearer JWTs from an OpenID Connect provider (or signed with configured keys); see <see cref="JwtAccessOptions"/>.</summary>
    Jwt,
}

/// <summary>Section <c>Auth</c>. Off unless <see cref="Mode"/> is set.</summary>
public sealed class AccessOptions
{
    public const string Section = "Auth";

    public AccessMode Mode { get; set; } = AccessMode.None;

    /// <summary>The clients and their keys (mode <c>ApiKey</c>); a client may have several keys (rotation).</summary>
    public List<ApiKeyClient> ApiKeys { get; set; } = [];

    /// <summary>Where tokens come from and who they are for (mode <c>Jwt</c>).</summary>
    public JwtAccessOptions Jwt { get; set; } = new();
}

/// <summary>
/// One accepted key. Prefer <see cref="KeyHash"/> (lower- or upper-case hex SHA-256 of the key's UTF-8
/// bytes) so the configuration never holds the key itself; <see cref="Key"/> is for local runs.
/// </summary>
public sealed class ApiKeyClient
{
    public string? ClientId { get; set; }
    public string? KeyHash { get; set; }
    public string? Key { get; set; }
}
