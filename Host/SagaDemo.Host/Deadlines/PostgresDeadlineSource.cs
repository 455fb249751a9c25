using SagaDemo.Persistence.Sagas;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Host.Deadlines;

/// <summary>
/// Asks the saga table's partial deadline index (PostgreSQL): only instances with a pending deadline are
/// read, however many finished ones the table holds. At most <see cref="BatchSize"/> per check; the rest
/// fire on the next one.
/// </summary>
public sealed class PostgresDeadlineSource(ISagaDeadlineQuery<UserRegistrationState> deadlines, UserRegistrationStateMachine machine)
    : IApprovalDeadlineSource
{
    public const int BatchSize = 1000;

    public async Task<IReadOnlyList<Guid>> FindDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = await deadlines.FindExpiredAsync(now, BatchSize, cancellationToken);
        return [.. expired.Where(d => d.CurrentState == machine.AwaitingApproval.Name).Select(d => d.CorrelationId)];
    }
}
