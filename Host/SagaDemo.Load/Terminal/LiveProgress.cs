using System.Globalization;
using SagaDemo.Load.Measurement;
using SagaDemo.Load.Running;
using Spectre.Console;

namespace SagaDemo.Load.Terminal;

/// <summary>
/// Shows the run while it goes: a live table on an interactive terminal (Spectre.Console), or a
/// plain line every few seconds when the output is redirected (CI logs, files).
/// </summary>
public sealed class LiveProgress(LoadRunner runner, IAnsiConsole console)
{
    static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);

    RecorderSnapshot? _previous;
    DateTime _previousAt;

    public async Task<T> ShowAsync<T>(Task<T> run)
    {
        if (console.Profile.Capabilities.Interactive && !System.Console.IsOutputRedirected)
        {
            await console.Live(Table(null)).AutoClear(false).StartAsync(async ctx =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(Refresh));
                    ctx.UpdateTarget(Table(Sample()));
                }
            });
        }
        else
        {
            while (!run.IsCompleted)
            {
                await Task.WhenAny(run, Task.Delay(PlainEvery));
                if (Sample() is { } line && !run.IsCompleted)
                    console.WriteLine(Plain(line));
            }
        }
        return await run;
    }

    LiveLine? Sample()
    {
        if (runner.Recorder is not { } recorder)
            return null;
        var now = DateTime.UtcNow;
        var snapshot = recorder.Snapshot();
        double accepted = 0, completed = 0;
        if (_previous is { } before && now > _previousAt)
        {
            var seconds = (now - _previousAt).TotalSeconds;
            accepted = (snapshot.Accepted - before.Accepted) / seconds;
            completed = (snapshot.Completed - before.Completed) / seconds;
        }
        _previous = snapshot;
        _previousAt = now;
        return new(runner.Phase, runner.WindowElapsedSeconds, accepted, completed, snapshot, runner.InFlight,
            recorder.Live.Percentile(50), recorder.Live.Percentile(99));
    }

    static Table Table(LiveLine? line)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]SagaDemo load[/]")
            .AddColumn("phase").AddColumn(new TableColumn("t (s)").RightAligned())
            .AddColumn(new TableColumn("accepted/s").RightAligned()).AddColumn(new TableColumn("completed/s").RightAligned())
            .AddColumn(new TableColumn("accepted").RightAligned()).AddColumn(new TableColumn("completed").RightAligned())
            .AddColumn(new TableColumn("failed").RightAligned()).AddColumn(new TableColumn("rejected").RightAligned())
            .AddColumn(new TableColumn("in flight").RightAligned())
            .AddColumn(new TableColumn("p50").RightAligned()).AddColumn(new TableColumn("p99").RightAligned());
        if (line is { } l)
            table.AddRow(l.Phase, l.Seconds.ToString("0", CultureInfo.InvariantCulture), SummaryTable.N(l.AcceptedPerSecond),
                SummaryTable.N(l.CompletedPerSecond), N(l.Totals.Accepted), N(l.Totals.Completed), N(l.Totals.Failed),
                N(l.Totals.Rejected), N(l.InFlight), SummaryTable.Ms(l.P50), SummaryTable.Ms(l.P99));
        else
            table.AddRow("starting", "", "", "", "", "", "", "", "", "", "");
        return table;
    }

    static string Plain(LiveLine l) => string.Create(CultureInfo.InvariantCulture,
        $"[{l.Phase} {l.Seconds:0}s] accepted/s {l.AcceptedPerSecond:0.#} completed/s {l.CompletedPerSecond:0.#} accepted {l.Totals.Accepted} completed {l.Totals.Completed} failed {l.Totals.Failed} rejected {l.Totals.Rejected} in-flight {l.InFlight} p50 {SummaryTable.Ms(l.P50)} p99 {SummaryTable.Ms(l.P99)}");

    static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    sealed record LiveLine(string Phase, double Seconds, double AcceptedPerSecond, double CompletedPerSecond, RecorderSnapshot Totals,
        long InFlight, double? P50, double? P99);
}
