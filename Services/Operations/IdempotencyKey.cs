using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SagaDemo.Services.Http;

namespace SagaDemo.Services.Operations;

/// <summary>
/// The <c>Idempotency-Key</c> request header of the POST routes: a client's name for one intended
/// operation, so a retried POST (lost answer, timeout) finds the operation the first one created.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    public const int MaxLength = 128;

    /// <summary>The key (null when none was sent), or a 400 problem for a malformed one.</summary>
    public static (string? Key, IResult? Problem) Read(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
            return (null, null);
        if (values.Count != 1)
            return (null, Problems.BadRequest($"Send one {Header} header, not {values.Count}."));
        var key = values[0] ?? "";
        // Printable ASCII only: the key is compared byte for byte and may be shown back in problems or logs.
        if (key.Length is 0 or > MaxLength || key.Any(c => c is < ' ' or > '~'))
            return (null, Problems.BadRequest($"{Header} must be 1 to {MaxLength} printable ASCII characters."));
        return (key, null);
    }

    /// <summary>
    /// Fingerprint of what a request asks for: its operation type and its JSON body without insignificant
    /// whitespace. Property order and spelling count: a client retrying sends the same bytes.
    /// </summary>
    public static string Fingerprint(string type, JsonElement body)
    {
        var canonical = Encoding.UTF8.GetBytes(type + "\n" + JsonSerializer.Serialize(body));
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    public static IResult ReusedProblem() =>
        Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused with a different request",
            detail: $"This {Header} was already used for a different request; use a new key for a new operation.");
}
