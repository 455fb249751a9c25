namespace SagaDemo.Persistence.Tests.Benchmarks;

/// <summary>A measurement, not a check: skipped unless <c>SAGADEMO_BENCHMARK=1</c>, so the normal suite stays fast.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public const string Variable = "SAGADEMO_BENCHMARK";

    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
            Skip = $"benchmark: set {Variable}=1 to run";
    }
}
