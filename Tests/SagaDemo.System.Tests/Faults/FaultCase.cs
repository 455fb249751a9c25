namespace SagaDemo.System.Tests.Faults;

/// <summary>One thing done to the running system, and how to tell it did no harm.</summary>
/// <param name="Name">The row name in the summary table.</param>
/// <param name="Description">What is done to the system, in one sentence (for the report).</param>
public sealed record FaultCase(string Name, string Description, Func<FaultSystem, Ledger, Task<CaseResult>> RunAsync);
