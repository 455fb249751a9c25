using System.Linq.Expressions;
using MassTransit;

namespace SagaDemo.Services.Hosting.Deadlines;

/// <summary>
/// Scans a saga repository with a query, one per waiting state (the in-memory repository has no index to use;
/// PostgreSQL's source reads the deadline index instead).
/// </summary>
public sealed class RepositoryDeadlineSource<TSaga>(
    IQuerySagaRepository<TSaga> sagas,
    SagaStateMachine<TSaga> machine,
    Func<DateTimeOffset, Expression<Func<TSaga, bool>>> isDue,
    IReadOnlyList<State> waitingStates) : ISagaDeadlineSource<TSaga>
    where TSaga : class, SagaStateMachineInstance
{
    public async Task<IReadOnlyList<DueSaga>> FindDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new List<DueSaga>();
        foreach (var state in waitingStates)
            due.AddRange((await sagas.Find(machine.CreateSagaQuery(isDue(now), state))).Select(id => new DueSaga(id, state.Name)));
        return due;
    }
}
