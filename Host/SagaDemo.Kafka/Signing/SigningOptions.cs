namespace SagaDemo.Kafka.Signing;

/// <summary>Whether records on topics that name their producer are signed and checked.</summary>
public enum SigningMode
{
    /// <summary>Every such record is signed with its producer's key; one without a valid signature is dead-lettered.</summary>
    Required,

    /// <summary>Nothing is signed or checked: only for a broker whose ACLs alone decide who writes which topic.</summary>
    Off,
}

/// <summary>
/// <c>Kafka:Signing</c>. <see cref="Keys"/> holds one secret per producing service (the role names: <c>api</c>,
/// <c>users</c>, <c>approval</c>, <c>orders</c>, <c>warehouse</c>, <c>payment</c>), e.g. from the environment as
/// <c>Kafka__Signing__Keys__users</c>. A process needs the key of every service it runs and of every service whose
/// topics it reads. <see cref="PreviousKeys"/> are still accepted on records read, never used to sign: the way to
/// rotate a key without a stop.
/// </summary>
public sealed class SigningOptions
{
    /// <summary>Shortest key accepted, in characters (<c>openssl rand -base64 32</c> gives 44).</summary>
    public const int MinKeyLength = 32;

    public SigningMode Mode { get; set; } = SigningMode.Required;

    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> PreviousKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
