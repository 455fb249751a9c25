using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using SagaDemo.Kafka.Signing;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// The message id a consumed record gets inside the app, which every inbox dedupes on. It is never the bare
/// message-id header: an id a sender chose freely could name a message still to come and have it skipped as a
/// "redelivery". A signed record's id is scoped by its topic (so by its one producer), which alone could choose
/// it; any other record's id also covers its value, so a second record under the same id is a duplicate only
/// when it says the same. A record without the header gets an id from its position, the same at every redelivery.
/// </summary>
public static class ConsumedMessageId
{
    public static Guid Of(ConsumeResult<string?, byte[]> record, string? messageIdHeader, RecordOrigin origin)
    {
        if (messageIdHeader is null)
            return Derive($"position\n{record.Topic}\n{record.Partition.Value}\n{record.Offset.Value}");
        if (origin == RecordOrigin.Signed)
            return Derive($"signed\n{record.Topic}\n{messageIdHeader}");
        var content = Convert.ToHexString(SHA256.HashData(record.Message.Value ?? []));
        return Derive($"unsigned\n{record.Topic}\n{messageIdHeader}\n{content}");
    }

    // Name-based, RFC 9562 version 8 (custom): the first 16 bytes of a SHA-256, version and variant bits set.
    static Guid Derive(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
