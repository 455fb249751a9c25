using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SagaDemo.Load.Measurement;
using SagaDemo.Load.Reporting;
using SagaDemo.Load.Running;
using SagaDemo.Load.Workload;

namespace SagaDemo.Load.Tests;

/// <summary>The report built from a recorded run: its JSON shape and figures, and the HTML page with its charts.</summary>
public sealed partial class ReportTests
{
    const string DeniedReason = "approval failed: name '<b>x</b>' is on the deny list";

    /// <summary>
    /// 30 operations at 10/s over a 3 s window (times in ms): every fifth an order, the rest users;
    /// each finishes 250 + i ms after its start; users 1, 11, 21 are denied. One POST is refused
    /// with 503 and one accepted operation never finishes.
    /// </summary>
    static LoadResult RecordedRun()
    {
        FlowMix.TryParse("user=80,order=20", out var mix, out _);
        var settings = new LoadSettings { Rate = 10, Duration = TimeSpan.FromSeconds(3), Mix = mix, TargetPid = Environment.ProcessId };
        var recorder = new RunRecorder(windowStart: 0, ticksPerSecond: 1000);
        for (var i = 0; i < 30; i++)
        {
            var flow = i % 5 == 0 ? FlowKind.Order : FlowKind.User;
            var error = i % 10 == 1 ? DeniedReason : null;
            recorder.Sent(flow, i * 100, measured: true);
            recorder.Accepted(flow, i * 100 + 5, measured: true);
            recorder.Finished(flow, i * 100 + 250 + i, 250 + i, 200 + i, error, KafkaEventEstimate.For(flow, error), measured: true);
        }
        recorder.Sent(FlowKind.User, 1000, measured: true);
        recorder.Rejected(FlowKind.User, 1002, "POST 503 Service Unavailable", measured: true);
        recorder.Sent(FlowKind.User, 2900, measured: true);
        recorder.Accepted(FlowKind.User, 2900, measured: true);
        recorder.TimedOut(FlowKind.User);
        recorder.InFlight(1500, 4);
        recorder.Shed(1001, measured: true);
        recorder.TargetRss(1500, 150 * 1024);

        var start = new WindowProbe(0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), null);
        var end = new WindowProbe(3000, TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(11.5), null);
        return new LoadResult(settings, recorder, DateTimeOffset.UnixEpoch, WindowSeconds: 3, DrainSeconds: 0.5, WallSeconds: 4,
            GeneratorCpuTotal: TimeSpan.FromSeconds(1), start, end, MaxScheduleLagMs: 1.5, TargetPeakRssKiB: 204800, TargetRssKiB: 102400,
            StoppedEarly: false);
    }

    [Fact]
    public void Json_has_every_section_and_the_figures_of_the_run()
    {
        using var json = JsonDocument.Parse(ReportJson.Serialize(LoadReportBuilder.Build(RecordedRun())));
        var root = json.RootElement;

        Assert.Equal(["run", "totals", "rates", "kafka", "latency", "failures", "flows", "generator", "target", "series"],
            root.EnumerateObject().Select(p => p.Name));

        var totals = root.GetProperty("totals");
        Assert.Equal(32, totals.GetProperty("sent").GetInt64());
        Assert.Equal(31, totals.GetProperty("accepted").GetInt64());
        Assert.Equal(1, totals.GetProperty("rejected").GetInt64());
        Assert.Equal(27, totals.GetProperty("completed").GetInt64());
        Assert.Equal(3, totals.GetProperty("failed").GetInt64());
        Assert.Equal(1, totals.GetProperty("timedOut").GetInt64());
        Assert.True(totals.GetProperty("countsAddUp").GetBoolean());
        Assert.Equal(1, totals.GetProperty("shed").GetInt64());

        var run = root.GetProperty("run");
        Assert.Equal("open-loop", run.GetProperty("mode").GetString());
        Assert.Equal(20, run.GetProperty("pollIntervalMs").GetDouble());
        Assert.Equal(0.8, run.GetProperty("mix").GetProperty("user").GetDouble(), 9);

        // Completions at 250..3279 ms: 28 of them inside the 3 s window, 25 completed, 3 failed.
        var rates = root.GetProperty("rates");
        Assert.Equal(Math.Round(31 / 3.0, 3), rates.GetProperty("accepted").GetDouble());
        Assert.Equal(Math.Round(25 / 3.0, 3), rates.GetProperty("completed").GetDouble());

        // 6 of the 28 are orders (13 records each), 3 are denied users (5), 19 completed users (7).
        var kafka = root.GetProperty("kafka");
        Assert.Equal("estimated", kafka.GetProperty("source").GetString());
        Assert.Equal(Math.Round((6 * 13 + 3 * 5 + 19 * 7) / 3.0, 3), kafka.GetProperty("perSecond").GetDouble());

        var client = root.GetProperty("latency").GetProperty("client");
        Assert.Equal(30, client.GetProperty("count").GetInt64());
        Assert.Equal(264, client.GetProperty("p50").GetDouble());
        Assert.Equal(279, client.GetProperty("p99").GetDouble());
        Assert.Equal(279, client.GetProperty("max").GetDouble());
        Assert.Equal(214, root.GetProperty("latency").GetProperty("server").GetProperty("p50").GetDouble());
        Assert.Equal(6, root.GetProperty("latency").GetProperty("clientByFlow").GetProperty("order").GetProperty("count").GetInt64());

        var failures = root.GetProperty("failures").EnumerateArray()
            .Select(f => (f.GetProperty("kind").GetString(), f.GetProperty("reason").GetString(), f.GetProperty("count").GetInt64()))
            .ToList();
        Assert.Equal(("failed", DeniedReason, 3L), failures[0]);
        Assert.Contains(("rejected", "POST 503 Service Unavailable", 1L), failures);
        Assert.Contains(failures, f => f.Item1 == "timeout" && f.Item3 == 1);

        var series = root.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(4, series.Count);   // 3 s window + 0.5 s drain
        Assert.Equal([true, true, true, false], series.Select(s => s.GetProperty("issuing").GetBoolean()));
        Assert.Equal(31, series.Sum(s => s.GetProperty("accepted").GetInt64()));
        Assert.Equal(30, series.Sum(s => s.GetProperty("completed").GetInt64() + s.GetProperty("failed").GetInt64()));
        Assert.Equal(2, series[3].GetProperty("completed").GetInt64());
        Assert.Equal(4, series[1].GetProperty("maxInFlight").GetInt64());
        Assert.Equal(1, series[1].GetProperty("shed").GetInt64());
        Assert.Equal(150, series[1].GetProperty("targetRssMiB").GetDouble());
        // The last of the 30 completions at 3,179 ms (the never-finished one does not count): 27 completed / 3.179 s.
        Assert.Equal(Math.Round(27 / 3.179, 3), rates.GetProperty("goodput").GetDouble());
        Assert.True(series[1].GetProperty("p50Ms").GetDouble() < series[1].GetProperty("p99Ms").GetDouble());

        var generator = root.GetProperty("generator");
        Assert.Equal(20, generator.GetProperty("windowCpuPercentOfOneCore").GetDouble(), 6);
        Assert.Equal(25, generator.GetProperty("cpuPercentOfOneCore").GetDouble(), 6);
        var target = root.GetProperty("target");
        Assert.Equal(50, target.GetProperty("windowCpuPercentOfOneCore").GetDouble(), 6);
        Assert.Equal(200, target.GetProperty("peakRssMiB").GetDouble());
    }

    [Fact]
    public void Html_is_self_contained_with_four_well_formed_svg_charts()
    {
        var html = HtmlReport.Render(LoadReportBuilder.Build(RecordedRun()));

        var charts = SvgPattern().Matches(html).Select(m => XElement.Parse(m.Value)).ToList();
        Assert.Equal(4, charts.Count);
        XNamespace svg = "http://www.w3.org/2000/svg";
        Assert.All(charts, c => Assert.Contains(c.Descendants(svg + "path"), p => ((string?)p.Attribute("d"))?.StartsWith('M') == true));
        Assert.Equal(["accepted/s", "completed/s", "failed/s", "shed/s (503/429)"], Legend(charts[0], svg));
        Assert.Equal(["RSS"], Legend(charts[1], svg));
        Assert.Equal(["p50", "p99"], Legend(charts[2], svg));
        Assert.Contains("goodput/s", html);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>x</b>", html);
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;", html);
        Assert.Contains("Kafka events/s (estimated)", html);
    }

    [Theory]
    [InlineData(21, 25, 5)]
    [InlineData(6, 6, 2)]
    [InlineData(0.37, 0.4, 0.1)]
    [InlineData(1000, 1000, 200)]
    [InlineData(0, 1, 0.2)]
    public void Chart_axes_use_round_steps(double peak, double max, double step)
    {
        var scale = SvgLineChart.NiceScale(peak);

        Assert.Equal(max, scale.Max, 9);
        Assert.Equal(step, scale.Step, 9);
    }

    static List<string> Legend(XElement chart, XNamespace svg) =>
        [.. chart.Descendants(svg + "text").Where(t => (string?)t.Attribute("class") == "legend").Select(t => t.Value)];

    [GeneratedRegex("<svg .*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgPattern();
}
