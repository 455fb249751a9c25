namespace SagaDemo.Sagas.Timeline;

/// <summary>
/// One state change of a saga instance, kept on the instance (so it is stored, and removed, with it) for the operations
/// console's timeline. <see cref="Topic"/>, <see cref="Partition"/> and <see cref="Offset"/> name the Kafka record that
/// caused it, when one did; <see cref="TraceId"/> the trace the step belongs to (W3C, 32 hex digits), when one was
/// active.
/// </summary>
public sealed record SagaTransition(string From, string To, string Event, DateTimeOffset At)
{
    public string? Topic { get; init; }
    public int? Partition { get; init; }
    public long? Offset { get; init; }
    public string? TraceId { get; init; }
}
