namespace SagaDemo.Services.Http.Access;

/// <summary>
/// <c>Auth:Jwt</c>. Either <see cref="Authority"/> (an OpenID Connect issuer: its discovery document names the
/// issuer and the JWKS, fetched and refreshed by the handler) or <see cref="Issuer"/> with <see cref="SigningKeys"/>
/// (PEM public keys, RSA or EC), and always <see cref="Audience"/>. A token must be signed by one of the keys, issued
/// by the issuer, meant for the audience and not expired.
/// </summary>
public sealed class JwtAccessOptions
{
    public static readonly IReadOnlyList<string> DefaultOwnerClaims = ["sub", "client_id", "azp"];

    public string? Authority { get; set; }

    /// <summary>Only for a local or test issuer: fetch <see cref="Authority"/>'s metadata over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public string? Audience { get; set; }

    public string? Issuer { get; set; }

    public List<string> SigningKeys { get; set; } = [];

    /// <summary>
    /// The claims that name a token's owner, the first present wins. Default <c>sub</c>, then <c>client_id</c>, then
    /// <c>azp</c>: the subject for tokens issued to a user or a client (client credentials), the client where a
    /// provider leaves the subject out. Null means the default; a list replaces it.
    /// </summary>
    public List<string>? OwnerClaims { get; set; }

    public IReadOnlyList<string> EffectiveOwnerClaims => OwnerClaims is { Count: > 0 } claims ? claims : DefaultOwnerClaims;
}
