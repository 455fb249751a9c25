using System.Globalization;
using SagaDemo.Load.Measurement;
using SagaDemo.Load.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SagaDemo.Load.Terminal;

/// <summary>The end-of-run summary for the terminal.</summary>
public static class SummaryTable
{
    public static IRenderable Render(LoadReport r)
    {
        var figures = new Table().Border(TableBorder.Rounded).Title("[bold]SagaDemo load summary[/]")
            .AddColumn("figure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("notes");
        figures.AddRow("mode", Esc(HtmlReport.Mode(r.Run)), Esc($"mix {HtmlReport.Mix(r.Run)}; window {N(r.Run.WindowSeconds)} s, drain {N(r.Run.DrainSeconds)} s"));
        figures.AddRow("accepted/s", N(r.Rates.Accepted), $"{r.Totals.Accepted} accepted of {r.Totals.Sent} sent");
        figures.AddRow("completed/s", N(r.Rates.Completed), $"{r.Totals.Completed} completed");
        figures.AddRow("goodput/s", r.Rates.Goodput is { } g ? N(g) : "n/a",
            r.Rates.GoodputSeconds is { } gs ? $"completed per second over {N(gs)} s, window start to last completion" : "nothing completed");
        figures.AddRow("shed (503/429)", r.Totals.Shed.ToString(CultureInfo.InvariantCulture),
            r.Run.HonourRetryAfter ? "answers; each shed create retried after its Retry-After" : "answers; not retried (--no-retry-after)");
        figures.AddRow(Esc($"Kafka events/s ({r.Kafka.Source})"), r.Kafka.PerSecond is { } k ? N(k) : "n/a", Esc(Shorten(r.Kafka.Method)));
        figures.AddRow("latency p50 / p95", $"{Ms(r.Latency.Client.P50)} / {Ms(r.Latency.Client.P95)}", "POST to final status, client-observed");
        figures.AddRow("latency p99 / max", $"{Ms(r.Latency.Client.P99)} / {Ms(r.Latency.Client.Max)}",
            Esc($"poll interval {N(r.Run.PollIntervalMs)}..{N(r.Run.PollMaxIntervalMs)} ms adds up to one interval"));
        figures.AddRow("server latency p50 / p99", $"{Ms(r.Latency.Server.P50)} / {Ms(r.Latency.Server.P99)}", "updatedAt - createdAt (no poll error)");
        figures.AddRow("failed / rejected / never finished", $"{r.Totals.Failed} / {r.Totals.Rejected} / {r.Totals.TimedOut}",
            r.Totals.CountsAddUp ? "[green]accepted = completed + failed + never finished[/]" : "[red]counts do not add up[/]");
        if (r.Totals.Skipped > 0)
            figures.AddRow("skipped", r.Totals.Skipped.ToString(CultureInfo.InvariantCulture), "[red]in-flight limit hit: the target fell behind[/]");
        figures.AddRow("generator CPU", $"{N(r.Generator.WindowCpuPercentOfOneCore)} %",
            $"of one core in the window ({N(r.Generator.CpuSeconds)} s CPU / {N(r.Generator.WallSeconds)} s wall overall); max schedule lag {N(r.Generator.MaxScheduleLagMs)} ms");
        if (r.Target is { } t)
            figures.AddRow($"target CPU (pid {t.Pid})", t.WindowCpuPercentOfOneCore is { } c ? $"{N(c)} %" : "n/a",
                $"peak RSS {(t.PeakRssMiB is { } p ? N(p) : "n/a")} MiB");

        var rows = new List<IRenderable> { figures };
        if (r.Failures.Count > 0)
        {
            var failures = new Table().Border(TableBorder.Rounded).Title("failures by reason")
                .AddColumn("kind").AddColumn("reason").AddColumn(new TableColumn("count").RightAligned());
            foreach (var f in r.Failures.Take(20))
                failures.AddRow(Esc(f.Kind), Esc(f.Reason), f.Count.ToString(CultureInfo.InvariantCulture));
            rows.Add(failures);
        }
        return new Rows(rows);
    }

    static string Shorten(string s) => s.Length <= 90 ? s : s[..87] + "...";

    internal static string Ms(double? ms) => ms is { } v ? v.ToString(v >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) + " ms" : "n/a";

    internal static string N(double v) => v.ToString(Math.Abs(v) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    static string Esc(string s) => Markup.Escape(s);
}
