namespace SagaDemo.Telemetry.Tests.Support;

/// <summary>
/// Runs every dashboard expression against a Prometheus. Every one must be valid PromQL; one whose
/// metrics the scraped targets export must also return data. Point it at any Prometheus (the
/// test's own scraping a small app, or one scraping the full Host) with the sample names that
/// Prometheus's targets expose.
/// </summary>
public static class DashboardQueryCheck
{
    public sealed record Outcome(DashboardQueries.Query Query, PrometheusApi.QueryResult Result, IReadOnlyList<string> MissingMetrics)
    {
        public bool Valid => Result.Status == "success";

        public bool ExpectsData => MissingMetrics.Count == 0;

        public bool Ok => Valid && (!ExpectsData || Result.SeriesCount > 0);

        public override string ToString() =>
            $"[{Query.Dashboard} / {Query.Panel}] {Query.Expr} -> {Result.Status} {Result.Error} series={Result.SeriesCount}" +
            (ExpectsData ? "" : $" (not exported here: {string.Join(", ", MissingMetrics)})");
    }

    public static async Task<IReadOnlyList<Outcome>> RunAsync(PrometheusApi prometheus, ISet<string> exportedSampleNames, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var outcomes = new List<Outcome>();
        foreach (var query in DashboardQueries.All())
        {
            var missing = DashboardQueries.MetricNames(query.Expr).Where(n => !exportedSampleNames.Contains(n)).ToList();
            var remaining = deadline - DateTime.UtcNow;
            var result = missing.Count == 0
                ? await prometheus.WaitForDataAsync(query.Expr, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero)
                : await prometheus.QueryAsync(query.Expr);
            outcomes.Add(new Outcome(query, result, missing));
        }
        return outcomes;
    }

    /// <summary>Sample names in a /metrics exposition (histograms contribute _bucket, _sum, _count), plus "up".</summary>
    public static ISet<string> SampleNames(string exposition) =>
        exposition.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split('{', ' ')[0])
            .Append("up")
            .ToHashSet(StringComparer.Ordinal);
}
