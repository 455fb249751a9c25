using System.Diagnostics;
using SagaDemo.System.Tests.Processes;
using Xunit.Abstractions;

namespace SagaDemo.System.Tests.Faults;

/// <summary>
/// The fault suite: one system (every role in its own process, PostgreSQL, a broker this test controls), and one
/// case after another done to it while it works. Whatever is done, nothing accepted is lost, nothing is applied
/// twice, stock is never oversold, and statistics agree with the orders' final states.
/// </summary>
[Collection(ProcessesCollection.Name)]
public sealed class FaultSuiteTests(ITestOutputHelper output)
{
    /// <summary>
    /// For working on one case: a ';' list of case names (or parts of them), run in that order instead of the whole
    /// suite, e.g. <c>SAGADEMO_FAULT_CASES="postgres;kill -9 orders"</c>.
    /// </summary>
    const string CasesVariable = "SAGADEMO_FAULT_CASES";

    [Fact]
    public async Task No_fault_loses_duplicates_or_oversells_anything()
    {
        var suite = Stopwatch.StartNew();
        await using var system = await FaultSystem.StartAsync();
        output.WriteLine($"system started in {suite.Elapsed.TotalSeconds:F1} s");
        var ledger = new Ledger(await system.InventoryAsync());
        var results = new List<CaseResult>();
        foreach (var @case in CasesToRun())
        {
            var clock = Stopwatch.StartNew();
            CaseResult result;
            try
            {
                result = await @case.RunAsync(system, ledger);
            }
            catch (Exception e)
            {
                result = CaseResult.Crashed(@case.Name, e);
            }
            result = result with { Duration = clock.Elapsed };
            results.Add(result);
            output.WriteLine(SummaryTable.Line(result));
            // Later cases would start from a broken system and each wait out its deadlines: stop here.
            if (!result.Passed)
                break;
        }

        var table = SummaryTable.Render(results, CasesToRun(), suite.Elapsed);
        var path = SummaryTable.Save(table);
        output.WriteLine($"\n{table}\n(written to {path})");
        Console.WriteLine(table);
        var failed = results.Where(r => !r.Passed).ToList();
        Assert.True(failed.Count == 0,
            string.Join("\n", failed.SelectMany(r => r.Problems.Select(p => $"{r.Case}: {p}"))) + $"\n\n{system.Output()}");
    }

    static IReadOnlyList<FaultCase> CasesToRun() =>
        Environment.GetEnvironmentVariable(CasesVariable) is { Length: > 0 } names
            ? [.. names.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => FaultCases.All.FirstOrDefault(c => c.Name.Contains(n, StringComparison.OrdinalIgnoreCase))
                             ?? throw new ArgumentException($"{CasesVariable}: no case named like '{n}'"))]
            : FaultCases.All;
}
