namespace SagaDemo.Kafka.Tests.Faults;

/// <summary>The suite's cases, in the order they run against one system.</summary>
public static class FaultCases
{
    // The broker outage runs before any process is killed: once a client process has been SIGKILLed and started
    // again, librdkafka 2.0.2's mock cluster no longer closes the other clients' older connections when its broker
    // is set down; they stay open and unanswered until each client's socket.timeout.ms (60 s) gives up on them.
    // A crashed real broker closes every socket, so that would test the mock, not the system.
    public static readonly IReadOnlyList<FaultCase> All =
    [
        InfrastructureFaults.BrokerDownAndUp(),
        InfrastructureFaults.InjectedRequestErrors(),
        InfrastructureFaults.PostgresRestart(),
        .. InfrastructureFaults.KillEachRole(),
        DuplicateDeliveryCase.Create(),
        OutOfOrderCase.Create(),
        ConcurrentEventsCase.Create(),
        PoisonRecordsCase.Create(),
    ];
}
