using System.Globalization;
using System.Net;
using System.Text;
using SagaDemo.Load.Measurement;

namespace SagaDemo.Load.Reporting;

/// <summary>The report as one self-contained HTML page (inline CSS and SVG, nothing fetched), for offline viewing.</summary>
public static class HtmlReport
{
    const string Accepted = "#2563eb";
    const string Completed = "#16a34a";
    const string Failed = "#dc2626";
    const string P50 = "#7c3aed";
    const string P99 = "#ea580c";
    const string Shed = "#ca8a04";

    public static string Render(LoadReport r)
    {
        var html = new StringBuilder();
        var issuingSeconds = r.Series.Count(s => s.Issuing);
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>SagaDemo load report</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px auto;max-width:1100px;color:#111827;background:#f9fafb;padding:0 16px}
            h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px} .sub{color:#4b5563;font-size:13px;margin-bottom:16px}
            .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px}
            .card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 12px}
            .card .v{font-size:22px;font-weight:600} .card .k{font-size:12px;color:#6b7280} .card .n{font-size:11px;color:#9ca3af}
            .panel{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:8px 8px 0;margin-top:12px}
            svg.chart .title{font-size:15px;font-weight:600;fill:#111827} svg.chart .tick{font-size:11px;fill:#6b7280}
            svg.chart .label{font-size:12px;fill:#4b5563} svg.chart .legend{font-size:12px;fill:#374151}
            svg.chart .grid{stroke:#e5e7eb;stroke-width:1} svg.chart .axis{stroke:#9ca3af;stroke-width:1}
            svg.chart .marker{stroke:#6b7280;stroke-width:1;stroke-dasharray:4 4}
            table{border-collapse:collapse;background:#fff;font-size:13px;min-width:50%} td,th{border:1px solid #e5e7eb;padding:4px 10px;text-align:left}
            th{background:#f3f4f6} td.num{text-align:right;font-variant-numeric:tabular-nums}
            .bad{color:#b91c1c;font-weight:600} .ok{color:#15803d;font-weight:600} .note{font-size:12px;color:#4b5563;max-width:900px}
            </style></head><body>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<h1>SagaDemo load report</h1><div class=\"sub\">{E(r.Run.Target)} &middot; {E(Mode(r.Run))} &middot; mix {E(Mix(r.Run))} &middot; started {E(r.Run.StartedAt.ToString("u", CultureInfo.InvariantCulture))} &middot; measured window {N(r.Run.WindowSeconds)} s{(r.Run.StoppedEarly ? " (stopped early)" : "")}</div>");

        html.Append("<div class=\"cards\">");
        Card(html, "accepted/s", N(r.Rates.Accepted), $"{r.Totals.Accepted} accepted");
        Card(html, "completed/s", N(r.Rates.Completed), $"{r.Totals.Completed} completed");
        Card(html, "goodput/s", r.Rates.Goodput is { } g ? N(g) : "n/a",
            r.Rates.GoodputSeconds is { } gs ? $"completed per second over {N(gs)} s, window start to last completion" : "nothing completed");
        Card(html, "shed (503/429)", r.Totals.Shed.ToString(CultureInfo.InvariantCulture), r.Run.HonourRetryAfter ? "each retried after Retry-After" : "not retried");
        Card(html, $"Kafka events/s ({r.Kafka.Source})", r.Kafka.PerSecond is { } k ? N(k) : "n/a", r.Kafka.Source == "estimated" ? "estimate, see notes" : "from the target's counter");
        Card(html, "latency p50", Ms(r.Latency.Client.P50), "POST to final status");
        Card(html, "latency p95", Ms(r.Latency.Client.P95), "");
        Card(html, "latency p99", Ms(r.Latency.Client.P99), "");
        Card(html, "latency max", Ms(r.Latency.Client.Max), "");
        Card(html, "not completed", (r.Totals.Failed + r.Totals.Rejected + r.Totals.TimedOut + r.Totals.Skipped).ToString(CultureInfo.InvariantCulture),
            $"{r.Totals.Failed} failed, {r.Totals.Rejected} rejected, {r.Totals.TimedOut} never finished");
        html.Append("</div>");

        html.Append("<div class=\"panel\">").Append(SvgLineChart.Render("Throughput per second", "operations per second",
        [
            new("accepted/s", Accepted, [.. r.Series.Select(s => (double?)s.Accepted)]),
            new("completed/s", Completed, [.. r.Series.Select(s => (double?)s.Completed)]),
            new("failed/s", Failed, [.. r.Series.Select(s => (double?)(s.Failed + s.Rejected))]),
            new("shed/s (503/429)", Shed, [.. r.Series.Select(s => (double?)s.Shed)]),
        ], issuingSeconds, "load stops")).Append("</div>");
        if (r.Series.Any(s => s.TargetRssMiB is not null))
            html.Append("<div class=\"panel\">").Append(SvgLineChart.Render("Target's resident memory (VmRSS)", "MiB",
            [
                new("RSS", P50, [.. r.Series.Select(s => s.TargetRssMiB)]),
            ], issuingSeconds, "load stops")).Append("</div>");
        html.Append("<div class=\"panel\">").Append(SvgLineChart.Render("Latency of operations finishing in each second", "milliseconds",
        [
            new("p50", P50, [.. r.Series.Select(s => s.P50Ms)]),
            new("p99", P99, [.. r.Series.Select(s => s.P99Ms)]),
        ], issuingSeconds, "load stops")).Append("</div>");
        html.Append("<div class=\"panel\">").Append(SvgLineChart.Render("Operations in flight (max per second)", "operations",
        [
            new("in flight", Accepted, [.. r.Series.Select(s => (double?)s.MaxInFlight)]),
        ], issuingSeconds, "load stops")).Append("</div>");

        html.Append("<h2>Operations</h2><table><tr><th>sent</th><th>accepted</th><th>rejected</th><th>completed</th><th>failed</th><th>never finished</th><th>skipped</th><th>poll errors</th><th>shed answers (503/429)</th><th>accepted = completed + failed + never finished</th></tr><tr>");
        foreach (var v in new[] { r.Totals.Sent, r.Totals.Accepted, r.Totals.Rejected, r.Totals.Completed, r.Totals.Failed, r.Totals.TimedOut, r.Totals.Skipped, r.Totals.PollErrors, r.Totals.Shed })
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{v}</td>");
        html.Append(r.Totals.CountsAddUp ? "<td class=\"ok\">yes</td>" : "<td class=\"bad\">NO</td>").Append("</tr></table>");

        html.Append("<h2>Latency (ms)</h2><table><tr><th></th><th>count</th><th>p50</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th><th>mean</th></tr>");
        LatencyRow(html, "client, all flows", r.Latency.Client);
        foreach (var (flow, summary) in r.Latency.ClientByFlow)
            LatencyRow(html, $"client, {flow}", summary);
        LatencyRow(html, "server (updatedAt - createdAt)", r.Latency.Server);
        html.Append("</table>");

        html.Append("<h2>Failures by reason</h2>");
        if (r.Failures.Count == 0)
            html.Append("<p>None.</p>");
        else
        {
            html.Append("<table><tr><th>kind</th><th>reason</th><th>count</th></tr>");
            foreach (var f in r.Failures)
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(f.Kind)}</td><td>{E(f.Reason)}</td><td class=\"num\">{f.Count}</td></tr>");
            html.Append("</table>");
        }

        html.Append("<h2>Resources</h2><table><tr><th></th><th>CPU (% of one core)</th><th>memory</th><th>other</th></tr>");
        html.Append(CultureInfo.InvariantCulture,
            $"<tr><td>load generator</td><td class=\"num\">{N(r.Generator.WindowCpuPercentOfOneCore)} in the window, {N(r.Generator.CpuPercentOfOneCore)} overall ({N(r.Generator.CpuSeconds)} s CPU / {N(r.Generator.WallSeconds)} s wall)</td><td></td><td>max schedule lag {N(r.Generator.MaxScheduleLagMs)} ms</td></tr>");
        if (r.Target is { } t)
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>target (pid {t.Pid})</td><td class=\"num\">{(t.WindowCpuPercentOfOneCore is { } c ? N(c) : "n/a")}</td><td>peak RSS {(t.PeakRssMiB is { } p ? N(p) + " MiB" : "n/a")}, RSS {(t.RssMiB is { } m ? N(m) + " MiB" : "n/a")}</td><td></td></tr>");
        html.Append("</table>");

        html.Append("<h2>Notes</h2><ul class=\"note\">");
        html.Append(CultureInfo.InvariantCulture, $"<li>Polling: first poll after {N(r.Run.PollIntervalMs)} ms, backing off by x{N(r.Run.PollBackoff)} to {N(r.Run.PollMaxIntervalMs)} ms, at most {r.Run.PollConcurrency} polls in flight. {E(r.Latency.Note)}</li>");
        html.Append(CultureInfo.InvariantCulture, $"<li>Kafka events/s ({E(r.Kafka.Source)}): {E(r.Kafka.Method)}.</li>");
        html.Append("<li>Totals count operations that arrived in the measured window (after warm-up); the charts show what happened in each second, including operations started during warm-up that finished then.</li>");
        html.Append("</ul></body></html>\n");
        return html.ToString();
    }

    static void Card(StringBuilder html, string key, string value, string note) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><div class=\"k\">{E(key)}</div><div class=\"v\">{E(value)}</div><div class=\"n\">{E(note)}</div></div>");

    static void LatencyRow(StringBuilder html, string name, LatencySummary l) =>
        html.Append(CultureInfo.InvariantCulture,
            $"<tr><td>{E(name)}</td><td class=\"num\">{l.Count}</td><td class=\"num\">{Ms(l.P50)}</td><td class=\"num\">{Ms(l.P95)}</td><td class=\"num\">{Ms(l.P99)}</td><td class=\"num\">{Ms(l.P999)}</td><td class=\"num\">{Ms(l.Max)}</td><td class=\"num\">{Ms(l.Mean)}</td></tr>");

    public static string Mode(RunDescription run) => run.Rate is { } rate
        ? $"open loop at {N(rate)} ops/s"
        : $"closed loop with {run.Concurrency} workers";

    public static string Mix(RunDescription run) =>
        string.Join(", ", run.Mix.Select(m => $"{m.Key} {N(m.Value * 100)}%"));

    static string Ms(double? ms) => ms is { } v ? (v >= 100 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.0", CultureInfo.InvariantCulture)) + " ms" : "n/a";

    static string N(double v) => v.ToString(Math.Abs(v) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    static string E(string s) => WebUtility.HtmlEncode(s);
}
