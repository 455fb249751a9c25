using System.Security.Claims;

namespace SagaDemo.Services.Http.Access;

/// <summary>The caller as the operations API sees it: the client id of its credentials, or anonymous.</summary>
public static class ClientIdentity
{
    /// <summary>Our own claim, set by the API key and JWT handlers (which drop one a token brings along).</summary>
    public const string ClaimType = "sagademo:client";

    /// <summary>The authenticated client's id; null when access control is off (everyone is the same anonymous caller).</summary>
    public static string? Of(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimType) : null;
}
