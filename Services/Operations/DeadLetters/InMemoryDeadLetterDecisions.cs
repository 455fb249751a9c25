using System.Collections.Concurrent;

namespace SagaDemo.Services.Operations.DeadLetters;

/// <summary>Decisions in process memory, for one-process runs and tests.</summary>
public sealed class InMemoryDeadLetterDecisions : IDeadLetterDecisions
{
    readonly ConcurrentDictionary<DeadLetterRef, DeadLetterDecision> _decisions = new();

    public Task<DeadLetterDecision> DecideAsync(DeadLetterDecision decision, CancellationToken cancellationToken) =>
        Task.FromResult(_decisions.GetOrAdd(decision.Record, decision));

    public Task SetReplayedToAsync(DeadLetterRef record, string replayedTo, CancellationToken cancellationToken)
    {
        _decisions.AddOrUpdate(record, _ => throw new InvalidOperationException($"No decision about {record}."),
            (_, d) => d with { ReplayedTo = replayedTo });
        return Task.CompletedTask;
    }

    public Task WithdrawAsync(DeadLetterRef record, CancellationToken cancellationToken)
    {
        _decisions.TryRemove(record, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeadLetterDecision>> ListAsync(string topic, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeadLetterDecision>>([.. _decisions.Values.Where(d => d.Record.Topic == topic)]);
}
