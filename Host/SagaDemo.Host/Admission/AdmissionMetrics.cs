using System.Diagnostics.Metrics;
using SagaDemo.Services.Operations.Admission;

namespace SagaDemo.Host.Admission;

/// <summary>
/// Meter <c>SagaDemo.Admission</c>: creates shed with 503 (<c>sagademo_operations_shed_total{type,reason}</c>), and the
/// measured backlog against its bound (<c>sagademo_admission_pending</c>, <c>sagademo_admission_bound</c>).
/// </summary>
public sealed class AdmissionMetrics : IShedObserver
{
    public const string MeterName = "SagaDemo.Admission";
    public const string ShedName = "sagademo.operations.shed";

    readonly Counter<long> _shed;
    long _pending;
    long _bound;

    public AdmissionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _shed = meter.CreateCounter<long>(ShedName, "{operation}",
            "Creates answered 503 with Retry-After by admission control, by type and reason (backlog, fair-share, consumer-lag).");
        meter.CreateObservableGauge("sagademo_admission_pending", () => Volatile.Read(ref _pending), "{operation}",
            "Pending operations at the last backlog measurement.");
        meter.CreateObservableGauge("sagademo_admission_bound",
            () => Volatile.Read(ref _bound), "{operation}",
            "Pending operations admission control allows now: finishes per second times Admission:TargetQueueTime, within its limits.");
    }

    public void Measured(Backlog backlog, int bound)
    {
        Volatile.Write(ref _pending, backlog.Pending.Total);
        Volatile.Write(ref _bound, bound);
    }

    public void Shed(string type, string reason) => _shed.Add(1, new("type", type), new("reason", reason));
}
