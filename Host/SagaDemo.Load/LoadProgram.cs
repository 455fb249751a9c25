using SagaDemo.Load.Cli;
using SagaDemo.Load.Terminal;
using SagaDemo.Load.Reporting;
using SagaDemo.Load.Running;
using Spectre.Console;

namespace SagaDemo.Load;

/// <summary>Entry point of <c>SagaDemo.Load</c>: parse, run with a live display, print the summary, write the report.</summary>
public static class LoadProgram
{
    public static Task<int> Main(string[] args) => LoadCommandLine.Create(RunAsync).Parse(args).InvokeAsync();

    static async Task<int> RunAsync(LoadSettings settings, string? reportDirectory, bool noLive, CancellationToken stop)
    {
        var console = AnsiConsole.Console;
        console.MarkupLine(Markup.Escape(
            $"SagaDemo load: {settings.Mode} against {settings.Target}, {(settings.Rate is { } r ? $"{r} ops/s" : $"{settings.Concurrency} workers")}, " +
            $"window {DurationParser.Format(settings.Duration)} after {DurationParser.Format(settings.Warmup)} warm-up, mix {settings.Mix}. Ctrl+C stops early."));

        using var client = new OperationClient(settings.Target, settings.Connections, settings.RequestTimeout);
        var runner = new LoadRunner(settings, client, TimeProvider.System);
        var run = runner.RunAsync(stop);
        var result = noLive
            ? await new LiveProgress(runner, AnsiConsole.Create(new AnsiConsoleSettings { Interactive = InteractionSupport.No })).ShowAsync(run)
            : await new LiveProgress(runner, console).ShowAsync(run);

        var report = LoadReportBuilder.Build(result);
        console.Write(SummaryTable.Render(report));
        if (reportDirectory is not null)
        {
            var (json, html) = ReportFiles.Write(report, reportDirectory);
            console.MarkupLine(Markup.Escape($"report: {Path.GetFullPath(json)}, {Path.GetFullPath(html)}"));
        }
        return report.Totals.CountsAddUp ? 0 : 1;
    }
}
