using Confluent.Kafka;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Testing.Processes;

namespace SagaDemo.System.Tests.Faults;

/// <summary>Faults of the machinery under the services: processes, broker, network requests, database.</summary>
public static class InfrastructureFaults
{
    static readonly TimeSpan BrokerOutage = TimeSpan.FromSeconds(4);
    static readonly TimeSpan PostgresOutage = TimeSpan.FromSeconds(3);
    static readonly TimeSpan BetweenErrorBursts = TimeSpan.FromSeconds(1);
    const int ErrorBursts = 3;

    public static IEnumerable<FaultCase> KillEachRole() => SagaDemoProcesses.OneProcessPerRole.Select(role => LoadCase.Under(
        $"kill -9 {role}",
        $"SIGKILL to the {role} process mid-load (no shutdown hook runs, nothing is flushed or committed), then started again.",
        async system =>
        {
            system[role].Kill();
            await system[role].RestartAsync();
        }));

    /// <param name="when">Appended to the case's name, to tell runs of it apart.</param>
    public static FaultCase BrokerDownAndUp(string when = "") => LoadCase.Under(
        $"broker down {BrokerOutage.TotalSeconds:0} s{when}",
        $"The Kafka broker goes down mid-load (listener and every connection closed) and comes back {BrokerOutage.TotalSeconds:0} s later.",
        async system =>
        {
            system.BrokerDown();
            try
            {
                await Task.Delay(BrokerOutage); // the outage itself
            }
            finally
            {
                system.BrokerUp();
            }
        });

    /// <summary>
    /// Bursts of retriable errors the broker answers instead of serving the request: a leader that moved
    /// (NOT_LEADER_FOR_PARTITION), a request that timed out, a coordinator that moved. Each burst goes to whichever
    /// clients send the next requests of that kind: producers, fetching consumers, committing consumers.
    /// </summary>
    public static FaultCase InjectedRequestErrors() => LoadCase.Under(
        "request errors",
        $"{ErrorBursts} bursts, {BetweenErrorBursts.TotalSeconds:0} s apart, of injected Produce, Fetch and OffsetCommit errors " +
        "(NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT, NOT_COORDINATOR) from the broker mid-load.",
        async system =>
        {
            try
            {
                for (var burst = 0; burst < ErrorBursts; burst++)
                {
                    system.Cluster.PushRequestErrors(KafkaApiKey.Produce,
                        ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
                    system.Cluster.PushRequestErrors(KafkaApiKey.Fetch,
                        ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut,
                        ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
                    system.Cluster.PushRequestErrors(KafkaApiKey.OffsetCommit,
                        ErrorCode.RequestTimedOut, ErrorCode.NotCoordinatorForGroup, ErrorCode.RequestTimedOut);
                    await Task.Delay(BetweenErrorBursts); // let the burst be used up before the next one
                }
            }
            finally
            {
                // Errors no request used up must not leak into the next case.
                foreach (var api in new[] { KafkaApiKey.Produce, KafkaApiKey.Fetch, KafkaApiKey.OffsetCommit })
                    system.Cluster.ClearRequestErrors(api);
            }
        });

    public static FaultCase PostgresRestart() => LoadCase.Under(
        "postgres restart",
        $"PostgreSQL stops mid-load in immediate mode (like a crash: no checkpoint, recovery on start) and starts again " +
        $"{PostgresOutage.TotalSeconds:0} s later; every service's pooled connections are dead.",
        async system =>
        {
            await system.Postgres.StopAsync();
            try
            {
                await Task.Delay(PostgresOutage); // the outage itself
            }
            finally
            {
                await system.Postgres.StartAsync();
            }
        });
}
