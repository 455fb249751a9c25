using System.Security.Cryptography;
using System.Text;

namespace SagaDemo.Services.Http.Access;

/// <summary>
/// Tells which client a presented API key belongs to. Keys are held only as SHA-256 hashes and the
/// presented key's hash is compared with every configured one in constant time, so neither timing nor
/// memory gives a key away.
/// </summary>
public sealed class ApiKeyVerifier
{
    /// <summary>Longer keys are refused before hashing; a key's length is no secret.</summary>
    public const int MaxKeyLength = 256;

    readonly (string ClientId, byte[] Hash)[] _keys;

    public ApiKeyVerifier(IEnumerable<ApiKeyClient> clients)
    {
        _keys = [.. clients.Select((client, i) => (ClientIdOf(client, i), HashOf(client, i)))];
        if (_keys.Length == 0)
            throw new InvalidOperationException("Auth:Mode is ApiKey but Auth:ApiKeys lists no keys.");
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The client id of <paramref name="presented"/>, or null when it is no configured key.</summary>
    public string? Verify(string presented)
    {
        if (presented.Length is 0 or > MaxKeyLength)
            return null;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? match = null;
        // No early exit: every presented key costs the same number of comparisons.
        foreach (var (clientId, expected) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
                match ??= clientId;
        return match;
    }

    static string ClientIdOf(ApiKeyClient client, int index) =>
        string.IsNullOrWhiteSpace(client.ClientId)
            ? throw new InvalidOperationException($"Auth:ApiKeys:{index}:ClientId is required.")
            : client.ClientId;

    // Messages name the entry, never the value: configuration errors end up in logs.
    static byte[] HashOf(ApiKeyClient client, int index)
    {
        var hasHash = !string.IsNullOrEmpty(client.KeyHash);
        var hasKey = !string.IsNullOrEmpty(client.Key);
        if (hasHash == hasKey)
            throw new InvalidOperationException($"Auth:ApiKeys:{index} must set exactly one of KeyHash and Key.");
        if (hasKey)
            return client.Key!.Length <= MaxKeyLength
                ? SHA256.HashData(Encoding.UTF8.GetBytes(client.Key))
                : throw new InvalidOperationException($"Auth:ApiKeys:{index}:Key is longer than {MaxKeyLength} characters.");
        if (client.KeyHash!.Length != 64 || !client.KeyHash.All(Uri.IsHexDigit))
            throw new InvalidOperationException($"Auth:ApiKeys:{index}:KeyHash must be 64 hex digits (SHA-256).");
        return Convert.FromHexString(client.KeyHash);
    }
}
