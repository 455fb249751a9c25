using System.Diagnostics;
using System.Text.Json;
using SagaDemo.Load.Measurement;
using SagaDemo.Load.Reporting;
using SagaDemo.Load.Running;
using SagaDemo.Load.Workload;
using SagaDemo.Testing;

namespace SagaDemo.Load.Tests;

/// <summary>
/// One short real run (about 3 s at a low rate) against the real host on a loopback port, then the
/// report it wrote, rendered by headless Chromium.
/// </summary>
public sealed class RealRunTests(KestrelHostFactory host) : IClassFixture<KestrelHostFactory>, IDisposable
{
    readonly string _reportDir = Directory.CreateTempSubdirectory("sagademo-load-").FullName;

    [Fact]
    public async Task Short_open_loop_run_accounts_for_every_operation_and_writes_the_report()
    {
        var target = host.StartAndGetAddress();
        FlowMix.TryParse("user=75,order=25", out var mix, out _);
        var settings = new LoadSettings
        {
            Target = target,
            Rate = 25,
            Duration = TimeSpan.FromSeconds(2),
            Warmup = TimeSpan.FromMilliseconds(500),
            Drain = TimeSpan.FromSeconds(10),
            Mix = mix,
            RejectRatio = 0.2,
            OrderSkus = ["apple", "unicorn"],   // unicorn has no stock: those orders fail "out of stock"
            MetricsUrl = new Uri(target, "/metrics"),
            TargetPid = Environment.ProcessId,
        };
        using var client = new OperationClient(settings.Target, settings.Connections, settings.RequestTimeout);

        var result = await new LoadRunner(settings, client, TimeProvider.System).RunAsync(CancellationToken.None);
        var report = LoadReportBuilder.Build(result);
        var (jsonPath, htmlPath) = ReportFiles.Write(report, _reportDir);

        var t = report.Totals;
        Assert.InRange(t.Sent, 45, 55);   // 25/s for 2 s; warm-up arrivals are not counted
        Assert.Equal(t.Sent, t.Accepted + t.Rejected);
        Assert.Equal(t.Accepted, t.Completed + t.Failed + t.TimedOut);
        Assert.True(t.CountsAddUp);
        Assert.Equal(0, t.Rejected);
        Assert.Equal(0, t.TimedOut);
        Assert.True(t.Completed > 0);
        // Denied users and out-of-stock orders failed with their saga's reason.
        Assert.Contains(report.Failures, f => f.Kind == "failed" && f.Reason.Contains("deny list"));
        Assert.Contains(report.Failures, f => f.Kind == "failed" && f.Reason.StartsWith("out of stock"));
        Assert.Equal(t.Failed, report.Failures.Where(f => f.Kind == "failed").Sum(f => f.Count));
        Assert.Equal(t.Completed + t.Failed, report.Latency.Client.Count);
        Assert.True(report.Latency.Client.P50 > 0);
        Assert.True(report.Latency.Client.P99 >= report.Latency.Client.P50);
        Assert.True(report.Generator.WallSeconds >= 2.5);
        Assert.Equal("estimated", report.Kafka.Source);   // the in-memory transport has no Kafka counter
        Assert.True(report.Kafka.PerSecond > 0);
        Assert.True(report.Target!.PeakRssMiB > 0);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath));
        Assert.Equal(t.Accepted, json.RootElement.GetProperty("totals").GetProperty("accepted").GetInt64());
        Assert.True(json.RootElement.GetProperty("series").GetArrayLength() >= 2);
        Assert.Contains("<svg", await File.ReadAllTextAsync(htmlPath));

        // The page renders in a real browser: a screenshot that is a real picture, not a blank page.
        var png = Path.Combine(_reportDir, "report.png");
        await HeadlessChromium.ScreenshotAsync(new Uri(htmlPath), png, 1200, 1800);
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes.Take(4));
        Assert.True(bytes.Length > 30_000, $"screenshot is only {bytes.Length} bytes");
    }

    public void Dispose() => Directory.Delete(_reportDir, recursive: true);
}
