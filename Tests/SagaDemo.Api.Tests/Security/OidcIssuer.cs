using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SagaDemo.Api.Tests.Security;

/// <summary>
/// A real OpenID Connect issuer as far as a resource server sees one: Kestrel on a free loopback port serving the
/// discovery document and the JWKS of an RSA key it holds, and tokens signed with that key.
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    public const string KeyId = "test-key-1";

    readonly WebApplication _app;

    OidcIssuer(WebApplication app, string address, RSA key)
    {
        _app = app;
        Issuer = address;
        Key = key;
    }

    public string Issuer { get; }

    public RSA Key { get; }

    /// <summary>The public key as PEM, for the configuration without an authority (Auth:Jwt:SigningKeys).</summary>
    public string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    public static async Task<OidcIssuer> StartAsync()
    {
        var key = RSA.Create(2048);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        string? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer!,
            ["jwks_uri"] = issuer + "/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () => Results.Json(new { keys = new[] { Jwk(key) } }));
        await app.StartAsync();
        issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return new OidcIssuer(app, issuer, key);
    }

    static Dictionary<string, string> Jwk(RSA key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new()
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    /// <summary>A token this issuer signs; every part can be overridden to make it wrong in one way.</summary>
    public string Token(IDictionary<string, object> claims, string audience = JwtAccessTests.Audience, string? issuer = null,
        TimeSpan? expiresIn = null, RSA? signingKey = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(5));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expires.AddHours(-1),
            NotBefore = expires.AddHours(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signingKey ?? Key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The same claims with <c>"alg":"none"</c> and no signature, the oldest trick against JWT libraries.</summary>
    public string UnsignedToken(string subject)
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var expires = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        return $"{Part("""{"alg":"none","typ":"JWT"}""")}.{Part($$"""{"iss":"{{Issuer}}","aud":"{{JwtAccessTests.Audience}}","sub":"{{subject}}","exp":{{expires}}}""")}.";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Key.Dispose();
    }
}
