using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Signing;

/// <summary>How far a consumed record's origin is known.</summary>
public enum RecordOrigin
{
    /// <summary>Nothing to check: signing is off, or the topic names no producer.</summary>
    Unchecked,

    /// <summary>Signed with its topic's producer's key: topic, key, type, message id, client id and value are that service's.</summary>
    Signed,

    /// <summary>Unsigned on an entry topic: any client may have written it; only its content is known to be valid.</summary>
    Open,
}

/// <summary>
/// Signs and checks records on topics that name their producer: an HMAC-SHA256 with that service's key over the
/// topic, the key, the message-type, message-id and client-id headers and the value, in header
/// <see cref="KafkaHeaderNames.Signature"/>. Moving a record to another topic or key, or changing any of those parts,
/// breaks it. Symmetric on purpose (about a microsecond per record): whoever holds a service's key can write as
/// that service, so a process holds only the keys of the services it runs and reads from.
/// </summary>
public sealed class RecordSignatures(TopicCatalog catalog, SigningKeyRing keys)
{
    public const string Scheme = "hmac-sha256=";
    const int MacBytes = 32;
    static readonly byte[] SchemeBytes = Encoding.ASCII.GetBytes(Scheme);

    /// <summary>
    /// Adds the signature of the topic's producer to <paramref name="headers"/>, whose message-type, message-id and
    /// client-id must already be set. Records of topics without a producer stay unsigned.
    /// </summary>
    /// <exception cref="InvalidOperationException">this process holds no key of the topic's producer.</exception>
    public void Sign(Headers headers, string topic, string? key, byte[] value)
    {
        if (keys.Mode == SigningMode.Off || catalog.Definition(topic)?.Producer is not { } producer)
            return;
        var secret = keys.SigningKey(producer)
            ?? throw new InvalidOperationException($"This process holds no signing key of {producer}, which produces {topic}.");
        Span<byte> mac = stackalloc byte[MacBytes];
        Mac(secret, topic, key, headers, value, mac);
        // Padded Base64 of a fixed-size MAC always has its maximum length, so the header is filled exactly.
        var signature = new byte[SchemeBytes.Length + Base64.GetMaxEncodedToUtf8Length(MacBytes)];
        SchemeBytes.CopyTo(signature);
        Base64.EncodeToUtf8(mac, signature.AsSpan(SchemeBytes.Length), out _, out _);
        headers.Add(KafkaHeaderNames.Signature, signature);
    }

    /// <summary>Where the record comes from, or <see cref="UnreadableRecordException"/> when its signature is missing or forged.</summary>
    public RecordOrigin Check(string topic, string? key, byte[]? value, Headers? headers)
    {
        if (keys.Mode == SigningMode.Off || catalog.Definition(topic) is not { Producer: { } producer } definition)
            return RecordOrigin.Unchecked;

        var presented = Last(headers, KafkaHeaderNames.Signature);
        if (presented is null)
            return definition.IsEntry
                ? RecordOrigin.Open
                : throw new UnreadableRecordException(
                    $"The record carries no signature; only {producer} writes {topic}, and its records are signed ({KafkaHeaderNames.Signature} header).");

        Span<byte> mac = stackalloc byte[MacBytes];
        if (!TryDecode(presented, mac))
            throw new UnreadableRecordException($"The record's {KafkaHeaderNames.Signature} header is not a {Scheme.TrimEnd('=')} signature.");
        Span<byte> expected = stackalloc byte[MacBytes];
        foreach (var secret in keys.AcceptedKeys(producer))
        {
            Mac(secret, topic, key, headers, value ?? [], expected);
            if (CryptographicOperations.FixedTimeEquals(mac, expected))
                return RecordOrigin.Signed;
        }
        throw new UnreadableRecordException(
            $"The record's signature is not {producer}'s: it was forged, or topic, key, headers or value were changed after {producer} signed it.");
    }

    // Read from the header's bytes as they are (no string, no arrays): this runs for every consumed record.
    static bool TryDecode(ReadOnlySpan<byte> presented, Span<byte> mac)
    {
        if (!presented.StartsWith(SchemeBytes))
            return false;
        var encoded = presented[SchemeBytes.Length..];
        if (Base64.GetMaxDecodedFromUtf8Length(encoded.Length) > MacBytes + 2)
            return false;
        Span<byte> decoded = stackalloc byte[MacBytes + 2];
        if (Base64.DecodeFromUtf8(encoded, decoded, out var consumed, out var length) != OperationStatus.Done
            || consumed != encoded.Length || length != MacBytes)
            return false;
        decoded[..MacBytes].CopyTo(mac);
        return true;
    }

    // One keyed HMAC per key and thread, reset after each use: setting the key up again for every record costs more
    // than hashing a record.
    [ThreadStatic] static Dictionary<byte[], IncrementalHash>? _macs;

    /// <summary>The MAC over every signed part, each length-prefixed so no two different records give the same input.</summary>
    static void Mac(byte[] secret, string topic, string? key, Headers? headers, byte[] value, Span<byte> destination)
    {
        var macs = _macs ??= new Dictionary<byte[], IncrementalHash>(ReferenceEqualityComparer.Instance);
        if (!macs.TryGetValue(secret, out var mac))
            macs[secret] = mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);

        // Header values as the record carries them (UTF-8 bytes), never decoded and encoded again.
        var type = Last(headers, KafkaHeaderNames.MessageType);
        var id = Last(headers, KafkaHeaderNames.MessageId);
        var client = Last(headers, KafkaHeaderNames.ClientId);
        var size = 6 * 4 + Encoding.UTF8.GetByteCount(topic) + (key is null ? 0 : Encoding.UTF8.GetByteCount(key))
                   + (type?.Length ?? 0) + (id?.Length ?? 0) + (client?.Length ?? 0) + value.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var at = 0;
            at = Text(buffer, at, topic);
            at = Text(buffer, at, key);
            at = Bytes(buffer, at, type);
            at = Bytes(buffer, at, id);
            at = Bytes(buffer, at, client);
            at = Bytes(buffer, at, value);
            mac.AppendData(buffer, 0, at);
            mac.GetHashAndReset(destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A length of -1 marks an absent part, so "absent" and "empty" differ.
    static int Text(byte[] buffer, int at, string? text)
    {
        var length = text is null ? -1 : Encoding.UTF8.GetBytes(text, buffer.AsSpan(at + 4));
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at), length);
        return at + 4 + Math.Max(length, 0);
    }

    static int Bytes(byte[] buffer, int at, byte[]? bytes)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at), bytes?.Length ?? -1);
        bytes?.CopyTo(buffer.AsSpan(at + 4));
        return at + 4 + (bytes?.Length ?? 0);
    }

    static byte[]? Last(Headers? headers, string name) => headers is not null && headers.TryGetLastBytes(name, out var bytes) ? bytes : null;
}
