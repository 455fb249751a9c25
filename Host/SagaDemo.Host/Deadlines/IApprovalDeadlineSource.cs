namespace SagaDemo.Host.Deadlines;

/// <summary>Which user sagas await an approval whose deadline has passed; the watcher fires a timeout for each.</summary>
public interface IApprovalDeadlineSource
{
    Task<IReadOnlyList<Guid>> FindDueAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
