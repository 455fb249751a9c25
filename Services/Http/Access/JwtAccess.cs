using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace SagaDemo.Services.Http.Access;

/// <summary>
/// Mode <c>Jwt</c>: ASP.NET Core's JWT bearer handler, configured from <see cref="JwtAccessOptions"/>. The token's
/// owner claim becomes the caller's client id (<see cref="ClientIdentity"/>), so operations and users belong to the
/// token's subject exactly as they belong to an API key's client. Refusals are 401 problems with a Bearer challenge.
/// </summary>
public static class JwtAccess
{
    public static void Add(IServiceCollection services, JwtAccessOptions options)
    {
        var keys = Validate(options);
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(bearer =>
        {
            // Claims keep their JWT names (sub, azp), not the WS-Federation URIs they would be mapped to.
            bearer.MapInboundClaims = false;
            bearer.Audience = options.Audience;
            if (options.Authority is not null)
            {
                bearer.Authority = options.Authority;
                bearer.RequireHttpsMetadata = options.RequireHttpsMetadata;
            }
            bearer.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = options.Issuer,
                ValidateAudience = true,
                ValidAudience = options.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                IssuerSigningKeys = keys,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            bearer.Events = new JwtBearerEvents
            {
                OnTokenValidated = context => NameOwner(context, options.EffectiveOwnerClaims),
                OnChallenge = Challenge,
            };
        });
        services.AddAuthorization();
    }

    static Task NameOwner(TokenValidatedContext context, IReadOnlyList<string> ownerClaims)
    {
        var owner = ownerClaims.Select(c => context.Principal?.FindFirstValue(c)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        if (owner is null)
        {
            context.Fail($"The token names no owner ({string.Join(", ", ownerClaims)}).");
            return Task.CompletedTask;
        }
        // A token cannot name the client itself: a claim of that type in it is dropped, ours set from the owner claim.
        var claims = context.Principal!.Claims.Where(c => c.Type != ClientIdentity.ClaimType).Append(new Claim(ClientIdentity.ClaimType, owner));
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, JwtBearerDefaults.AuthenticationScheme, ClientIdentity.ClaimType, null));
        return Task.CompletedTask;
    }

    static async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var presented = context.Request.Headers.Authorization.Count > 0;
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: presented ? "The bearer token is not valid for this API." : "Send a bearer token in the Authorization header.")
            .ExecuteAsync(context.HttpContext);
    }

    /// <summary>The configured keys; a configuration that cannot authenticate anyone stops the start, naming the setting.</summary>
    static List<SecurityKey> Validate(JwtAccessOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Audience))
            throw new InvalidOperationException("Auth:Mode is Jwt but Auth:Jwt:Audience is not set.");
        if (options.Authority is not null)
        {
            if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority))
                throw new InvalidOperationException("Auth:Jwt:Authority must be an absolute URL.");
            if (authority.Scheme != Uri.UriSchemeHttps && options.RequireHttpsMetadata)
                throw new InvalidOperationException("Auth:Jwt:Authority must be https (or set Auth:Jwt:RequireHttpsMetadata=false for a local issuer).");
            return [.. options.SigningKeys.Select(Key)];
        }
        if (string.IsNullOrWhiteSpace(options.Issuer) || options.SigningKeys.Count == 0)
            throw new InvalidOperationException(
                "Auth:Mode is Jwt: set Auth:Jwt:Authority, or Auth:Jwt:Issuer and at least one Auth:Jwt:SigningKeys entry.");
        return [.. options.SigningKeys.Select(Key)];
    }

    static SecurityKey Key(string pem, int index)
    {
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (ArgumentException)
        {
            try
            {
                var ec = ECDsa.Create();
                ec.ImportFromPem(pem);
                return new ECDsaSecurityKey(ec);
            }
            catch (ArgumentException)
            {
                throw new InvalidOperationException($"Auth:Jwt:SigningKeys:{index} is not a PEM RSA or EC public key.");
            }
        }
    }
}
