using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// librdkafka's only sign that a consumer's position was no longer in the log. With <c>auto.offset.reset=earliest</c> a
/// fetch answered OFFSET_OUT_OF_RANGE (retention deleted the records, or the log start moved past the committed offset)
/// makes it jump to the log start on its own, raise no consumer error, and log one warning (facility <c>OFFSET</c>,
/// rdkafka_offset.c): "&lt;topic&gt; [&lt;partition&gt;]: offset reset (at offset &lt;n&gt; ...) to ...". A reset without
/// an error (a new group with no committed offset) is only debug-logged, so a warning always means records were skipped.
/// As Confluent.Kafka passes it: "[thrd:main]: orders [0]: offset reset (at offset 10 (leader epoch 0), broker 1) to cached
/// BEGINNING offset offset 3511 (leader epoch -1): fetch failed due to requested offset not available on the broker: Broker:
/// Offset out of range".
/// </summary>
public sealed partial record OffsetResetNotice(TopicPartition Partition, long AtOffset, string Reason)
{
    public static bool TryParse(LogMessage message, out OffsetResetNotice? notice)
    {
        notice = null;
        if (message.Level > SyslogLevel.Warning || message.Facility != "OFFSET")
            return false;
        var match = Pattern().Match(message.Message);
        if (!match.Success)
            return false;
        notice = new OffsetResetNotice(
            new TopicPartition(match.Groups["topic"].Value, int.Parse(match.Groups["partition"].Value, CultureInfo.InvariantCulture)),
            long.Parse(match.Groups["offset"].Value, CultureInfo.InvariantCulture), message.Message);
        return true;
    }

    // The message starts with librdkafka's thread name ("[thrd:main]: "); topic names are [a-zA-Z0-9._-] (Kafka's rule).
    [GeneratedRegex(@"(?<topic>[A-Za-z0-9._-]+) \[(?<partition>\d+)\]: offset reset \(at offset (?<offset>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
