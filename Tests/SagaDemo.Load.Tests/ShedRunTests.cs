using SagaDemo.Load.Reporting;
using SagaDemo.Load.Running;
using SagaDemo.Testing;

namespace SagaDemo.Load.Tests;

/// <summary>The real host with an admission budget of five pending operations, measured every 100 ms.</summary>
public sealed class TightAdmissionHostFactory : SagaDemoHostFactory
{
    public TightAdmissionHostFactory() : base([new("Transport", "InMemory"), .. Quick,
        new("Admission:MinPending", "5"), new("Admission:MaxPending", "5"), new("Admission:SampleInterval", "00:00:00.100"),
        new("Approval:Delay", "00:00:00.050")]) => OnLoopback();

    public Uri StartAndGetAddress() => StartOnLoopback();
}

/// <summary>
/// A burst far beyond the host's admission budget (about 1 s): the generator is shed with 503 and Retry-After, waits,
/// sends again, and in the end every create is accepted and completed; the shed answers are counted apart.
/// </summary>
public sealed class ShedRunTests(TightAdmissionHostFactory host) : IClassFixture<TightAdmissionHostFactory>
{
    [Fact]
    public async Task A_shed_create_is_sent_again_after_its_retry_after_until_accepted()
    {
        var target = host.StartAndGetAddress();
        var settings = new LoadSettings
        {
            Target = target, Rate = 60, Duration = TimeSpan.FromSeconds(1), Drain = TimeSpan.FromSeconds(40), TargetPid = Environment.ProcessId,
        };
        using var client = new OperationClient(settings.Target, settings.Connections, settings.RequestTimeout);

        var report = LoadReportBuilder.Build(await new LoadRunner(settings, client, TimeProvider.System).RunAsync(CancellationToken.None));

        var t = report.Totals;
        Assert.InRange(t.Sent, 55, 65);
        Assert.True(t.Shed > 0, "nothing was shed: the budget of 5 did not bind");
        Assert.Equal(0, t.Rejected);
        Assert.Equal(t.Sent, t.Accepted);
        Assert.Equal(t.Accepted, t.Completed);
        Assert.True(t.CountsAddUp);
        Assert.Equal(t.Shed, report.Series.Sum(s => s.Shed));
        Assert.True(report.Rates.Goodput > 0);
        Assert.True(report.Rates.GoodputSeconds > 1);   // retried creates finish after the 1 s window
        Assert.Contains(report.Series, s => s.TargetRssMiB > 0);
    }
}
