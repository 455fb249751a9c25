namespace SagaDemo.Services.Operations.Admission;

/// <summary>
/// Pending operations (all of them, and per owner; anonymous callers are owner ""), and how many operations finished
/// in the last <paramref name="FinishedWindow"/>: what the operations store holds, counted in one pass.
/// </summary>
public sealed record PendingOperations(int Total, IReadOnlyDictionary<string, int> ByOwner, int Finished, TimeSpan FinishedWindow)
{
    public static readonly PendingOperations None = new(0, new Dictionary<string, int>(), 0, TimeSpan.FromSeconds(1));

    public double FinishedPerSecond => Finished / FinishedWindow.TotalSeconds;
}

/// <summary>The system's backlog as last measured: pending operations, completion rate, and the deepest consumer lag.</summary>
public sealed record Backlog(PendingOperations Pending, long MaxPartitionLag, string? LaggingPartition)
{
    public static readonly Backlog Unknown = new(PendingOperations.None, 0, null);
}

/// <summary>Counts what <see cref="PendingOperations"/> holds (implemented by every operations store).</summary>
public interface IPendingOperationCounter
{
    Task<PendingOperations> CountPendingAsync(TimeSpan finishedWindow, CancellationToken cancellationToken);
}
