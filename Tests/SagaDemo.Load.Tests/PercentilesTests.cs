using SagaDemo.Load.Measurement;

namespace SagaDemo.Load.Tests;

public sealed class PercentilesTests
{
    [Fact]
    public void Nearest_rank_on_one_to_a_hundred_is_the_percent_itself()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        Assert.Equal(1, Percentiles.OfSorted(values, 1));
        Assert.Equal(50, Percentiles.OfSorted(values, 50));
        Assert.Equal(95, Percentiles.OfSorted(values, 95));
        Assert.Equal(99, Percentiles.OfSorted(values, 99));
        Assert.Equal(100, Percentiles.OfSorted(values, 100));
        Assert.Equal(1, Percentiles.OfSorted(values, 0));
    }

    [Fact]
    public void Nearest_rank_rounds_up_between_ranks()
    {
        double[] values = [10, 20, 30, 40];

        Assert.Equal(20, Percentiles.OfSorted(values, 50));   // rank 2 of 4
        Assert.Equal(30, Percentiles.OfSorted(values, 51));   // rank 2.04 -> 3
        Assert.Equal(40, Percentiles.OfSorted(values, 99));
        Assert.Equal(7, Percentiles.OfSorted([7], 99.9));
    }

    [Fact]
    public void No_values_give_no_percentile()
    {
        Assert.Null(Percentiles.OfSorted([], 50));
        Assert.Equal(LatencySummary.Empty, Percentiles.Summarize([]));
    }

    [Fact]
    public void Summary_sorts_a_copy_and_reports_extremes_and_mean()
    {
        double[] values = [5, 1, 4, 2, 3];

        var summary = Percentiles.Summarize(values);

        Assert.Equal([5, 1, 4, 2, 3], values);
        Assert.Equal(5, summary.Count);
        Assert.Equal(3, summary.P50);
        Assert.Equal(5, summary.P99);
        Assert.Equal(5, summary.Max);
        Assert.Equal(1, summary.Min);
        Assert.Equal(3, summary.Mean);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(90)]
    [InlineData(99)]
    [InlineData(99.9)]
    public void Histogram_percentiles_are_within_one_percent_of_exact_ones(double percent)
    {
        // Log-normal latencies around 200 ms with a long tail, like a saga behind a 200 ms approval.
        var random = new Random(42);
        var values = Enumerable.Range(0, 50_000)
            .Select(_ => Math.Exp(Math.Log(200) + 0.6 * Gaussian(random)))
            .ToArray();
        var histogram = new LatencyHistogram();
        foreach (var v in values)
            histogram.Record(v);
        var sorted = values.Order().ToArray();

        var exact = Percentiles.OfSorted(sorted, percent)!.Value;
        var approximate = histogram.Percentile(percent)!.Value;

        Assert.InRange(approximate, exact * 0.99, exact * 1.01);
    }

    [Fact]
    public void Histogram_tracks_exact_min_max_and_count_and_is_empty_at_first()
    {
        var histogram = new LatencyHistogram();
        Assert.Null(histogram.Percentile(50));

        foreach (var v in new[] { 0.0, 3.5, 12_000.0, 42.0 })
            histogram.Record(v);

        Assert.Equal(4, histogram.Count);
        Assert.Equal(0.0, histogram.Min);
        Assert.Equal(12_000.0, histogram.Max);
        Assert.Equal(12_000.0, histogram.Percentile(100));
        Assert.InRange(histogram.Percentile(75)!.Value, 42 * 0.99, 42 * 1.01);
    }

    [Fact]
    public async Task Histogram_counts_every_value_recorded_from_many_threads()
    {
        var histogram = new LatencyHistogram();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 1; i <= 10_000; i++)
                histogram.Record(i % 1000 + t);
        })));

        Assert.Equal(80_000, histogram.Count);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(999 + 7, histogram.Max);
    }

    static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
