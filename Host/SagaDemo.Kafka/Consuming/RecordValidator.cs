using System.Text.Json;
using System.Text.Json.Serialization;
using Confluent.Kafka;
using MassTransit.Serialization;
using Microsoft.Extensions.Options;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Signing;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Consuming;

/// <summary>A record that keeps the contract: its message type and how far its origin is known.</summary>
public sealed record ValidRecord(Type MessageType, RecordOrigin Origin);

/// <summary>
/// Holds a record to the wire contract before MassTransit sees it: a value no larger than
/// <see cref="KafkaOptions.MaxRecordBytes"/>, the correlation id as key (a UUID), its producer's signature where the
/// topic names one, a message type of its topic, a value that is exactly that type's camelCase JSON, and content that
/// keeps the <see cref="IMessageRules"/>. Whatever breaks it is refused with a reason meant for the person reading the
/// dead-letter topic. The cheap checks come first, so a huge value is never parsed.
/// </summary>
public sealed class RecordValidator(TopicCatalog catalog, MessageKeySelector keys, IOptions<KafkaOptions> options,
    RecordSignatures signatures, IEnumerable<IMessageRules> rules)
{
    // Stricter than MassTransit's own reading: a record missing a required field, carrying null where the contract
    // forbids it, or carrying a field the type does not have (another type's JSON, a typo, a newer producer) is
    // refused instead of reaching a saga as default values.
    static readonly JsonSerializerOptions Strict = new(SystemTextJsonMessageSerializer.Options)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    // Keys are echoed in reasons; one that is not a UUID may be anything, so only its start.
    const int KeyEchoLength = 64;

    readonly int _maxRecordBytes = options.Value.MaxRecordBytes;

    readonly IMessageRules[] _rules = [.. rules];

    /// <summary>The record's message type and origin, or <see cref="UnreadableRecordException"/> saying what breaks the contract.</summary>
    public ValidRecord Validate(ConsumeResult<string?, byte[]> record, string? typeHeader)
    {
        var value = record.Message.Value;
        if (value is not null && value.Length > _maxRecordBytes)
            throw new UnreadableRecordException(
                $"The record's value is {value.Length} bytes, more than Kafka:MaxRecordBytes ({_maxRecordBytes}); it was not read.");

        var key = record.Message.Key;
        if (string.IsNullOrEmpty(key))
            throw new UnreadableRecordException(
                "The record has no key; the wire contract keys every record by its correlation id (a UUID).");
        if (!Guid.TryParseExact(key, "D", out var correlationId))
            throw new UnreadableRecordException(
                $"The record key '{Echo(key)}' is not a UUID; the wire contract keys every record by its correlation id (a UUID such as 5b0c6a8e-8f0c-4c43-9d7e-0d6c3e1f2a11).");

        var origin = signatures.Check(record.Topic, key, value, record.Message.Headers);

        var messageType = catalog.ResolveMessageType(record.Topic, typeHeader)
            ?? throw new UnreadableRecordException($"Topic {record.Topic} carries no message type '{typeHeader}'.");
        if (value is null || value.Length == 0)
            throw new UnreadableRecordException("The record has no value.");

        object message;
        try
        {
            message = JsonSerializer.Deserialize(value, messageType, Strict)
                ?? throw new UnreadableRecordException($"The value is not a {messageType.Name}.");
        }
        catch (JsonException ex)
        {
            throw new UnreadableRecordException($"The value is not a valid {messageType.Name}: {ex.Message}", ex);
        }

        // The key decides the partition, and with it the order of one operation's records: a key other than the
        // message's own id would let its records overtake each other.
        if (keys.KeyOf(message, null) is { } expected && !Guid.Parse(expected).Equals(correlationId))
            throw new UnreadableRecordException(
                $"The record key {key} is not the {messageType.Name}'s correlation id {expected}; the wire contract keys every record by it.");

        foreach (var rule in _rules)
            if (rule.Violation(message) is { } violation)
                throw new UnreadableRecordException($"The {messageType.Name} is refused: {violation}");
        return new ValidRecord(messageType, origin);
    }

    static string Echo(string key) => key.Length <= KeyEchoLength ? key : key[..KeyEchoLength] + "...";
}
