namespace SagaDemo.Services.Hosting.Deadlines;

/// <summary>A saga instance whose recorded deadline has passed, and the state it waits in.</summary>
public sealed record DueSaga(Guid CorrelationId, string? CurrentState);

/// <summary>Which instances of a saga have a passed deadline; the saga's deadline watcher decides what to fire.</summary>
public interface ISagaDeadlineSource<TSaga>
    where TSaga : class
{
    Task<IReadOnlyList<DueSaga>> FindDueAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
