using SagaDemo.Sagas.Timeline;

namespace SagaDemo.Host.OperationsConsole.Timeline;

/// <summary>One saga instance's part of an operation's timeline.</summary>
public sealed record SagaTimeline(string Saga, string CurrentState, IReadOnlyList<SagaTransition> Transitions);

/// <summary>Reads the history of one kind of saga that runs in this process.</summary>
public interface ISagaTimelineSource
{
    /// <summary>The saga's name on the timeline.</summary>
    string Saga { get; }

    Task<SagaTimeline?> FindAsync(Guid correlationId, CancellationToken cancellationToken);
}
