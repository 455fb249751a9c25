using System.Security.Cryptography;
using System.Text;

namespace SagaDemo.Kafka.Signing;

/// <summary>
/// The keys of one process: per producing service, the key it signs with and the keys its records are checked
/// against. Built once at start from <see cref="SigningOptions"/>; a process that would have to sign or check
/// without a key does not start.
/// </summary>
public sealed class SigningKeyRing
{
    readonly Dictionary<string, byte[]> _signing = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, byte[][]> _accepted = new(StringComparer.OrdinalIgnoreCase);

    SigningKeyRing(SigningMode mode, IReadOnlyList<string> generated)
    {
        Mode = mode;
        Generated = generated;
    }

    public SigningMode Mode { get; }

    /// <summary>Services whose keys were generated for this process alone (embedded Kafka: nobody else reads its topics).</summary>
    public IReadOnlyList<string> Generated { get; }

    /// <param name="needed">The services this process signs for or reads from.</param>
    /// <param name="generateMissing">
    /// True when Kafka runs inside this process: no other process can take part, so keys nobody configured are
    /// generated at random. Otherwise a missing key stops the start (unless signing is off).
    /// </param>
    public static SigningKeyRing Create(SigningOptions options, IEnumerable<string> needed, bool generateMissing)
    {
        if (options.Mode == SigningMode.Off)
            return new SigningKeyRing(SigningMode.Off, []);

        var generated = new List<string>();
        var missing = new List<string>();
        var configured = options.Keys.Where(k => !string.IsNullOrEmpty(k.Value)).ToDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var producer in needed.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            if (configured.ContainsKey(producer))
                continue;
            if (generateMissing)
            {
                configured[producer] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                generated.Add(producer);
            }
            else
                missing.Add(producer);
        }
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"Kafka record signing needs a key for {string.Join(", ", missing)}: set " +
                string.Join(", ", missing.Select(p => $"Kafka:Signing:Keys:{p}")) +
                $" (environment: {string.Join(", ", missing.Select(p => $"Kafka__Signing__Keys__{p}"))}; at least {SigningOptions.MinKeyLength} " +
                "characters, the same value in every process that runs or reads that service), or Kafka:Signing:Mode=Off when the " +
                "broker's ACLs alone decide who may write each topic.");

        var ring = new SigningKeyRing(SigningMode.Required, generated);
        foreach (var (producer, key) in configured)
        {
            ring._signing[producer] = Bytes(key, $"Kafka:Signing:Keys:{producer}");
            var previous = options.PreviousKeys.TryGetValue(producer, out var old) && !string.IsNullOrEmpty(old)
                ? [Bytes(old, $"Kafka:Signing:PreviousKeys:{producer}")]
                : Array.Empty<byte[]>();
            ring._accepted[producer] = [ring._signing[producer], .. previous];
        }
        return ring;
    }

    /// <summary>The key records of <paramref name="producer"/> are signed with; null when this process holds none.</summary>
    public byte[]? SigningKey(string producer) => _signing.GetValueOrDefault(producer);

    /// <summary>Every key a record of <paramref name="producer"/> may be signed with (current first).</summary>
    public IReadOnlyList<byte[]> AcceptedKeys(string producer) => _accepted.GetValueOrDefault(producer) ?? [];

    // Messages name the setting, never the value: configuration errors end up in logs.
    static byte[] Bytes(string key, string setting) => key.Length >= SigningOptions.MinKeyLength
        ? Encoding.UTF8.GetBytes(key)
        : throw new InvalidOperationException($"{setting} must be at least {SigningOptions.MinKeyLength} characters.");
}
