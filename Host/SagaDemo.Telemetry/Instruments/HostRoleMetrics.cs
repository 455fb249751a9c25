using System.Diagnostics.Metrics;

namespace SagaDemo.Telemetry.Instruments;

/// <summary>
/// sagademo_host_role{role} = 1 for each service role this process runs. Counting it by role gives
/// replicas per service whatever labels the scrape configuration adds (one process may run several
/// roles, so up{job} alone cannot tell).
/// </summary>
public sealed class HostRoleMetrics
{
    public const string MeterName = "SagaDemo.Host";

    public HostRoleMetrics(IMeterFactory meterFactory, SagaDemoTelemetryOptions options)
    {
        var roles = options.Roles.ToArray();
        meterFactory.Create(MeterName).CreateObservableGauge("sagademo_host_role",
            () => roles.Select(role => new Measurement<int>(1, new KeyValuePair<string, object?>("role", role))),
            description: "1 for each service role this process runs.");
    }
}
