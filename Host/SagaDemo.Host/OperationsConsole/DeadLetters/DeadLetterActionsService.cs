using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Topology;
using SagaDemo.Services.Operations.DeadLetters;

namespace SagaDemo.Host.OperationsConsole.DeadLetters;

/// <summary>How a replay or discard request ended.</summary>
public enum DeadLetterOutcome
{
    /// <summary>This request made the decision (and, for a replay, produced the record).</summary>
    Applied,
    /// <summary>The same decision had been made before: nothing happened now.</summary>
    AlreadyApplied,
    /// <summary>The other decision had been made before: nothing happened now.</summary>
    DecidedOtherwise,
    /// <summary>No such record in the dead-letter topic.</summary>
    NotFound,
    /// <summary>The record cannot be replayed (see the result's reason).</summary>
    NotReplayable,
}

public sealed record DeadLetterResult(DeadLetterOutcome Outcome, DeadLetterDecision? Decision, string? Reason = null);

/// <summary>
/// Replay and discard. The decision is stored first (first writer wins), so of any number of requests, however
/// concurrent, one acts. A replay then produces the original record once more to its original topic: the same key,
/// value and headers (its signature still holds, as topic, key and signed headers are unchanged), without the
/// dead-letter writer's headers. A produce that fails takes the decision back, so the replay can be asked for again.
/// </summary>
public sealed class DeadLetterActionsService(DeadLetterReader reader, IDeadLetterDecisions decisions, KafkaMessageProducer producer,
    TimeProvider clock, ILogger<DeadLetterActionsService> logger)
{
    public async Task<DeadLetterResult> ReplayAsync(DeadLetterRef at, string by, CancellationToken cancellationToken)
    {
        if (await reader.FindAsync(at, cancellationToken) is not { } record)
            return new DeadLetterResult(DeadLetterOutcome.NotFound, null);
        if (NotReplayable(record) is { } reason)
            return new DeadLetterResult(DeadLetterOutcome.NotReplayable, null, reason);

        var (outcome, decision) = await DecideAsync(at, DeadLetterActions.Replay, by, cancellationToken);
        if (outcome != DeadLetterOutcome.Applied)
            return new DeadLetterResult(outcome, decision);
        try
        {
            var delivered = await producer.ProduceAsync(record.OriginalTopic!, record.Key, record.RawValue, record.OriginalHeaders(),
                cancellationToken);
            var replayedTo = $"{delivered.Topic}/{delivered.Partition.Value}@{delivered.Offset.Value}";
            await decisions.SetReplayedToAsync(at, replayedTo, cancellationToken);
            logger.LogWarning("Dead letter {Record} replayed by {By} to {ReplayedTo}", at, by, replayedTo);
            return new DeadLetterResult(DeadLetterOutcome.Applied, decision with { ReplayedTo = replayedTo });
        }
        catch (Exception)
        {
            await decisions.WithdrawAsync(at, CancellationToken.None);
            throw;
        }
    }

    public async Task<DeadLetterResult> DiscardAsync(DeadLetterRef at, string by, CancellationToken cancellationToken)
    {
        if (await reader.FindAsync(at, cancellationToken) is null)
            return new DeadLetterResult(DeadLetterOutcome.NotFound, null);
        var (outcome, decision) = await DecideAsync(at, DeadLetterActions.Discard, by, cancellationToken);
        if (outcome == DeadLetterOutcome.Applied)
            logger.LogWarning("Dead letter {Record} discarded by {By}", at, by);
        return new DeadLetterResult(outcome, decision);
    }

    async Task<(DeadLetterOutcome, DeadLetterDecision)> DecideAsync(DeadLetterRef at, string action, string by, CancellationToken cancellationToken)
    {
        // To the microsecond, as PostgreSQL keeps it: the stored decision must compare equal to this one when it is this one.
        var now = clock.GetUtcNow();
        var mine = new DeadLetterDecision(at, action, by, now.AddTicks(-(now.Ticks % 10)));
        var stored = await decisions.DecideAsync(mine, cancellationToken);
        return (stored == mine ? DeadLetterOutcome.Applied
            : stored.Action == action ? DeadLetterOutcome.AlreadyApplied
            : DeadLetterOutcome.DecidedOtherwise, stored);
    }

    // The original must go back where it came from, and be whole.
    static string? NotReplayable(DeadLetterRecord record)
    {
        var expected = record.Topic[..^TopicCatalog.DeadLetterSuffix.Length];
        if (record.OriginalTopic != expected)
            return $"It names original topic '{record.OriginalTopic}', not {expected}.";
        if (record.Omitted is not null)
            return $"Its copy is not whole ({record.Omitted}).";
        return null;
    }
}
