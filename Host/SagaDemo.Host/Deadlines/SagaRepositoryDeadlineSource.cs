using MassTransit;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Host.Deadlines;

/// <summary>Scans the saga repository with a query (the in-memory repository has no index to use).</summary>
public sealed class SagaRepositoryDeadlineSource(IQuerySagaRepository<UserRegistrationState> sagas, UserRegistrationStateMachine machine)
    : IApprovalDeadlineSource
{
    public async Task<IReadOnlyList<Guid>> FindDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        [.. await sagas.Find(machine.CreateSagaQuery(s => s.ApprovalDeadline != null && s.ApprovalDeadline < now, machine.AwaitingApproval))];
}
