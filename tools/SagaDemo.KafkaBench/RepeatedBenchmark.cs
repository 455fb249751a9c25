using System.Text.Json;

namespace SagaDemo.KafkaBench;

/// <summary>
/// The ceiling as a figure to divide by: one warm-up run first (JIT, the native library's first allocations, a CPU that
/// was idle), then several measured runs in the same process, each on a fresh mock cluster. The median is the figure;
/// the spread (max - min over the median) says how far one run could have been off.
/// </summary>
public static class RepeatedBenchmark
{
    public sealed record Series(MockClusterBenchmark.Result Warmup, IReadOnlyList<MockClusterBenchmark.Result> Runs)
    {
        public double LoopMedian => Median(Runs.Select(r => r.LoopPerSecond));
        public double ProducedMedian => Median(Runs.Select(r => r.ProducedPerSecond));
        public double ConsumedMedian => Median(Runs.Select(r => r.ConsumedPerSecond));
        public double LoopSpread => Spread(Runs.Select(r => r.LoopPerSecond));

        public override string ToString() =>
            $"median of {Runs.Count} runs after a {Warmup.Records}-record warm-up: loop={LoopMedian:F0}/s (spread {LoopSpread:P0}) " +
            $"produce={ProducedMedian:F0}/s consume={ConsumedMedian:F0}/s{Environment.NewLine}" +
            string.Join(Environment.NewLine, Runs.Select((r, i) => $"  run {i + 1}: {r}"));

        /// <summary>The median figures under the single run's names (what the benchmark summary reads), plus every run.</summary>
        public string ToJson()
        {
            var first = Runs[0];
            return JsonSerializer.Serialize(new
            {
                records = first.Records, recordsAlone = first.RecordsAlone, recordBytes = first.RecordBytes, partitions = first.Partitions,
                producedPerSecond = Math.Round(ProducedMedian), consumedPerSecond = Math.Round(ConsumedMedian),
                loopPerSecond = Math.Round(LoopMedian),
                repeats = Runs.Count, warmupRecords = Warmup.Records, loopSpread = Math.Round(LoopSpread, 3),
                loopPerSecondRuns = Runs.Select(r => Math.Round(r.LoopPerSecond)).ToArray(),
                producedPerSecondRuns = Runs.Select(r => Math.Round(r.ProducedPerSecond)).ToArray(),
                consumedPerSecondRuns = Runs.Select(r => Math.Round(r.ConsumedPerSecond)).ToArray(),
            });
        }
    }

    public static Series Run(int repeats, int warmupRecords, int records, int recordBytes, int partitions)
    {
        var warmup = MockClusterBenchmark.Run(warmupRecords, recordBytes, partitions);
        var runs = Enumerable.Range(0, Math.Max(1, repeats)).Select(_ => MockClusterBenchmark.Run(records, recordBytes, partitions)).ToList();
        return new Series(warmup, runs);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static double Spread(IEnumerable<double> values)
    {
        var all = values.ToArray();
        var median = Median(all);
        return median > 0 ? (all.Max() - all.Min()) / median : 0;
    }
}
