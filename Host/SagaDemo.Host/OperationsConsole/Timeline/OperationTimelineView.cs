using SagaDemo.Services.Operations;

namespace SagaDemo.Host.OperationsConsole.Timeline;

/// <summary>
/// One state change on the timeline; <see cref="SincePreviousMs"/> is the time since the previous change (the first
/// one's since the operation was created). <see cref="TraceUrl"/> opens the step's trace in the configured trace UI
/// (<see cref="ConsoleOptions.TraceUrl"/>).
/// </summary>
public sealed record TransitionView(string From, string To, string Event, DateTimeOffset At, double SincePreviousMs,
    string? Topic, int? Partition, long? Offset, string? TraceId, string? TraceUrl);

public sealed record SagaTimelineView(string Saga, string CurrentState, IReadOnlyList<TransitionView> Transitions);

/// <summary>
/// <c>GET /operations/{id}/timeline</c>: the operation and the history of each saga that worked on it. Empty
/// <see cref="Sagas"/> when no saga of it runs in this process (<see cref="SagasInProcess"/> names those that do).
/// </summary>
public sealed record OperationTimelineView(OperationView Operation, IReadOnlyList<SagaTimelineView> Sagas, IReadOnlyList<string> SagasInProcess)
{
    public static SagaTimelineView View(SagaTimeline saga, DateTimeOffset start, ConsoleOptions options)
    {
        var previous = start;
        var transitions = new List<TransitionView>();
        foreach (var t in saga.Transitions)
        {
            transitions.Add(new TransitionView(t.From, t.To, t.Event, t.At, Math.Max(0, (t.At - previous).TotalMilliseconds),
                t.Topic, t.Partition, t.Offset, t.TraceId, options.TraceLink(t.TraceId)));
            previous = t.At;
        }
        return new SagaTimelineView(saga.Saga, saga.CurrentState, transitions);
    }
}
