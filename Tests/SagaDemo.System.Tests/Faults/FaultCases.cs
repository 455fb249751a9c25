namespace SagaDemo.System.Tests.Faults;

/// <summary>The suite's cases, in the order they run against one system.</summary>
public static class FaultCases
{
    // The broker outage runs twice: on a fresh system and again after every process was killed and restarted (and
    // PostgreSQL restarted), when each client holds connections opened at different times. Both need the test's
    // children not to inherit the mock broker's sockets (InheritedDescriptors), or setting the broker down would leave
    // the connections they hold open and unanswered, which no crashed real broker does.
    public static readonly IReadOnlyList<FaultCase> All =
    [
        InfrastructureFaults.BrokerDownAndUp(),
        InfrastructureFaults.InjectedRequestErrors(),
        InfrastructureFaults.PostgresRestart(),
        .. InfrastructureFaults.KillEachRole(),
        InfrastructureFaults.BrokerDownAndUp(", after the kills"),
        DuplicateDeliveryCase.Create(),
        OutOfOrderCase.Create(),
        ConcurrentEventsCase.Create(),
        PoisonRecordsCase.Create(),
    ];
}
