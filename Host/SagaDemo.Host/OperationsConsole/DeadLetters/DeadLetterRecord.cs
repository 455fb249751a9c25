using System.Text;
using System.Text.Json.Serialization;
using Confluent.Kafka;
using SagaDemo.Kafka.Topology;
using SagaDemo.Services.Operations.DeadLetters;

namespace SagaDemo.Host.OperationsConsole.DeadLetters;

/// <summary>A record header as text (invalid UTF-8 shows as replacement characters).</summary>
public sealed record RecordHeaderView(string Name, string Value);

/// <summary>
/// A record of a dead-letter topic as the console shows it: where it is, why it is there (the headers the dead-letter
/// writer added), the original record's key, headers and value (UTF-8 text), and what was decided about it.
/// </summary>
public sealed record DeadLetterRecord(
    string Topic, int Partition, long Offset, DateTimeOffset Timestamp,
    string? OriginalTopic, int? OriginalPartition, long? OriginalOffset, string? ConsumerGroup,
    string? Reason, string? ExceptionType, string? Omitted, string? Key,
    IReadOnlyList<RecordHeaderView> Headers, string Value, DeadLetterDecision? Decision)
{
    /// <summary>The value's bytes as written (a replay writes these, not the text).</summary>
    [JsonIgnore]
    public byte[] RawValue { get; init; } = [];

    [JsonIgnore]
    public IReadOnlyList<IHeader> RawHeaders { get; init; } = [];

    /// <summary>The headers the original record had, without those the dead-letter writer added.</summary>
    public Headers OriginalHeaders()
    {
        var headers = new Headers();
        foreach (var header in RawHeaders.Where(h => !h.Key.StartsWith(DeadLetterHeaderPrefix, StringComparison.Ordinal)))
            headers.Add(header.Key, header.GetValueBytes());
        return headers;
    }

    const string DeadLetterHeaderPrefix = "dead-letter-";

    public static DeadLetterRecord From(ConsumeResult<string?, byte[]> record)
    {
        var headers = (record.Message.Headers ?? []).Select(h => new RecordHeaderView(h.Key, Encoding.UTF8.GetString(h.GetValueBytes()))).ToList();
        string? Header(string name) => headers.LastOrDefault(h => h.Name == name)?.Value;
        return new DeadLetterRecord(record.Topic, record.Partition.Value, record.Offset.Value,
            record.Message.Timestamp.UtcDateTime,
            Header(KafkaHeaderNames.DeadLetterTopic),
            int.TryParse(Header(KafkaHeaderNames.DeadLetterPartition), out var partition) ? partition : null,
            long.TryParse(Header(KafkaHeaderNames.DeadLetterOffset), out var offset) ? offset : null,
            Header(KafkaHeaderNames.DeadLetterConsumerGroup), Header(KafkaHeaderNames.DeadLetterError),
            Header(KafkaHeaderNames.DeadLetterExceptionType), Header(KafkaHeaderNames.DeadLetterOmitted),
            record.Message.Key, headers, Encoding.UTF8.GetString(record.Message.Value ?? []), Decision: null)
        {
            RawValue = record.Message.Value ?? [],
            RawHeaders = [.. record.Message.Headers ?? []],
        };
    }
}
