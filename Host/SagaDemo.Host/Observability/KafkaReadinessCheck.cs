using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Kafka.Registration;

namespace SagaDemo.Host.Observability;

/// <summary>
/// Ready only while Kafka answers a metadata request and every consumer group this process runs has joined
/// (librdkafka statistics: coordinator up, join state steady). A process that cannot reach Kafka or is not
/// (yet) a group member would take traffic it cannot serve: its operations would stay pending. After a consumer found
/// records deleted before it read them (<see cref="RecordLossMonitor"/>), unhealthy for <c>Kafka:RecordLossUnready</c>,
/// then degraded (still ready, but saying so) until the process restarts: the loss is never passed over in silence.
/// </summary>
public sealed class KafkaReadinessCheck(
    KafkaBootstrap bootstrap,
    IOptions<KafkaOptions> options,
    KafkaRiderEndpoints endpoints,
    EndpointDispatchers receiveEndpoints,
    IKafkaLagMonitor monitor,
    RecordLossMonitor losses,
    TimeProvider clock) : IHealthCheck, IDisposable
{
    static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(2);

    readonly Lazy<IAdminClient> _admin = new(() =>
        new AdminClientBuilder(KafkaClientConfigs.Admin(options.Value, bootstrap.BootstrapServers))
            .SetLogHandler((_, _) => { }) // broker-down noise belongs to the consumers' logs, not to every probe
            .Build());

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        int brokers;
        try
        {
            // Blocking librdkafka call: off the request thread.
            brokers = await Task.Run(() => _admin.Value.GetMetadata(MetadataTimeout).Brokers.Count, cancellationToken);
        }
        catch (KafkaException e)
        {
            return HealthCheckResult.Unhealthy($"Kafka does not answer a metadata request: {e.Error.Reason}");
        }

        var problems = GroupProblems().ToList();
        var data = new Dictionary<string, object> { ["brokers"] = brokers };
        if (losses.Latest is { } loss)
        {
            data["recordsLost"] = losses.TotalLost;
            var lost = $"{losses.TotalLost} record(s) lost; latest: group {loss.Group} skipped offsets {loss.FromOffset}-{loss.ToOffset - 1} "
                + $"of {loss.Topic} [{loss.Partition}] at {loss.At:O} (deleted by the broker before they were read)";
            if (clock.GetUtcNow() - loss.At < options.Value.RecordLossUnready)
                problems.Add(lost);
            else if (problems.Count == 0)
                return HealthCheckResult.Degraded(lost, data: data);
        }
        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{brokers} broker(s); groups joined", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", problems), data: data);
    }

    IEnumerable<string> GroupProblems()
    {
        var interval = options.Value.StatisticsInterval;
        if (interval <= TimeSpan.Zero)
            yield break; // statistics disabled: membership cannot be observed, the broker check stands alone
        // A consume loop reports every interval; several missed reports mean it stopped (or hangs in a rebalance).
        var staleAfter = interval * 3 + TimeSpan.FromSeconds(2);
        foreach (var endpoint in endpoints.All.Where(e => receiveEndpoints.IsRegistered(e.EndpointName)))
        {
            var state = monitor.GroupState(endpoint.Group);
            if (state is null)
                yield return $"group {endpoint.Group}: not reported yet";
            else if (clock.GetUtcNow() - state.ReportedAt > staleAfter)
                yield return $"group {endpoint.Group}: no report since {state.ReportedAt:O}";
            else if (!state.Joined)
                yield return $"group {endpoint.Group}: {state.State}/{state.JoinState}";
        }
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated)
            _admin.Value.Dispose();
    }
}
