using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace SagaDemo.Services.Http.Access;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header. A refusal answers 401 problem+json with a
/// <c>WWW-Authenticate</c> challenge; neither the answer nor the log names the presented key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyVerifier verifier)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values))
            return Task.FromResult(AuthenticateResult.NoResult());
        if (values.Count != 1 || values[0] is not { } presented || verifier.Verify(presented) is not { } clientId)
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));

        var identity = new ClaimsIdentity([new Claim(ClientIdentity.ClaimType, clientId)], SchemeName, ClientIdentity.ClaimType, null);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Request.Headers.ContainsKey(Header);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\"";
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: presented ? $"The {Header} header does not hold a valid API key." : $"Send an API key in the {Header} header.")
            .ExecuteAsync(Context);
    }
}
