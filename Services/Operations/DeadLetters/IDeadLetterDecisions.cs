namespace SagaDemo.Services.Operations.DeadLetters;

/// <summary>
/// The record of decisions about dead-letter records: at most one per record, the first one wins, so a replay or
/// discard asked for twice (or by two operators at once) happens once.
/// </summary>
public interface IDeadLetterDecisions
{
    /// <summary>Stores <paramref name="decision"/> unless its record has one; returns the one stored (compare to tell).</summary>
    Task<DeadLetterDecision> DecideAsync(DeadLetterDecision decision, CancellationToken cancellationToken);

    /// <summary>Notes where a replay landed.</summary>
    Task SetReplayedToAsync(DeadLetterRef record, string replayedTo, CancellationToken cancellationToken);

    /// <summary>Takes back a decision whose effect could not be had (the replay's produce failed), so it can be asked again.</summary>
    Task WithdrawAsync(DeadLetterRef record, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeadLetterDecision>> ListAsync(string topic, CancellationToken cancellationToken);
}
