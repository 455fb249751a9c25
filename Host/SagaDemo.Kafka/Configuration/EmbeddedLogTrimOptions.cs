namespace SagaDemo.Kafka.Configuration;

/// <summary>
/// Configuration section <c>Kafka:EmbeddedLogTrim</c>: how the in-process embedded cluster deletes records that every
/// consumer group of this process has committed. Real Kafka and the <c>kafka-dev</c> broker are never trimmed.
/// The mock broker finds a fetch's offset by walking the partition's message sets from the oldest (up to 100,000 kept),
/// so without trimming every fetch, and with it the host's CPU per saga and its idle CPU, grows with what it has processed.
/// </summary>
public sealed class EmbeddedLogTrimOptions
{
    /// <summary>How often committed records are trimmed. Zero turns trimming off (the mock's own retention alone applies).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Records kept per partition below the lowest committed offset, so that recent history stays readable (kcat, the
    /// benchmark's hop timings); each costs every fetch of that partition a step of the mock's walk.
    /// </summary>
    public int KeepRecords { get; set; } = 1_000;
}
