namespace SagaDemo.Services.Operations.DeadLetters;

/// <summary>A record in a dead-letter topic, by where it is there.</summary>
public sealed record DeadLetterRef(string Topic, int Partition, long Offset)
{
    public override string ToString() => $"{Topic}/{Partition}@{Offset}";
}

/// <summary>
/// What an operator decided about a dead-letter record: <see cref="DeadLetterActions.Replay"/> (produced once more to
/// its original topic, landing at <see cref="ReplayedTo"/>) or <see cref="DeadLetterActions.Discard"/>.
/// </summary>
public sealed record DeadLetterDecision(DeadLetterRef Record, string Action, string By, DateTimeOffset At, string? ReplayedTo = null);

public static class DeadLetterActions
{
    public const string Replay = "replay";
    public const string Discard = "discard";
}
