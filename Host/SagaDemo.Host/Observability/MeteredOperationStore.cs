using SagaDemo.Services.Operations;
using SagaDemo.Telemetry.Instruments;

namespace SagaDemo.Host.Observability;

/// <summary>
/// Counts operations as they are created and finished, and how long each took, around whichever
/// store the api role uses; the Operations service itself stays free of telemetry. Types the API does not run
/// are counted as <c>other</c>: the compat route takes any name, and one series per name would let any client
/// grow the metrics without bound.
/// </summary>
public sealed class MeteredOperationStore(IOperationStore inner, SagaDemoMetrics metrics) : IOperationStore
{
    /// <summary>Service key of the store being decorated (in-memory or PostgreSQL), registered keyed so it is not itself an IOperationStore.</summary>
    public const string InnerKey = "unmetered";

    public async Task<Operation> AddAsync(Operation operation, CancellationToken cancellationToken)
    {
        var stored = await inner.AddAsync(operation, cancellationToken);
        // A repeated idempotency key created nothing.
        if (stored.Id == operation.Id)
            metrics.OperationCreated(TypeLabel(operation.Type), operation.Status);
        return stored;
    }

    public Task<Operation?> FindAsync(Guid id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

    public async Task<Operation?> FinishAsync(Guid id, OperationOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var stored = await inner.FinishAsync(id, outcome, at, cancellationToken);
        // Only the call that finished the operation stamped it with its own time: a redelivered
        // reply finds it already finished and is not counted again.
        // (A group-committed finish answers the operation as it was before; its store counts it after the commit.)
        if (stored is not null && stored.Status != OperationStatus.Pending && stored.UpdatedAt == at)
            Finished(metrics, stored);
        return stored;
    }

    /// <summary>Counts one finished operation: here, or from a store that learns of it only after a group commit.</summary>
    public static void Finished(SagaDemoMetrics metrics, Operation finished) =>
        metrics.OperationCompleted(TypeLabel(finished.Type), finished.Status, finished.UpdatedAt - finished.CreatedAt);

    public const string OtherType = "other";

    static string TypeLabel(string type) => OperationTypes.IsRun(type) ? type : OtherType;
}
