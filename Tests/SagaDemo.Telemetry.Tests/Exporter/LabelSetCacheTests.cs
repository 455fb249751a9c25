using SagaDemo.Telemetry.Metrics;

namespace SagaDemo.Telemetry.Tests.Exporter;

public sealed class LabelSetCacheTests
{
    static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    [Fact]
    public void Repeated_tags_resolve_to_the_same_label_set_without_building_it_again()
    {
        var cache = new LabelSetCache([]);
        var first = cache.Resolve([Tag("topic", "user-create"), Tag("partition", 3)]);
        // A fresh boxed int and a fresh string instance: equal values, not the same objects.
        var again = cache.Resolve([Tag("topic", new string("user-create".AsSpan())), Tag("partition", 3)]);

        Assert.Same(first, again);
    }

    [Fact]
    public void Tags_in_another_order_are_the_same_series()
    {
        var cache = new LabelSetCache([]);
        var ab = cache.Resolve([Tag("a", "1"), Tag("b", "2")]);
        var ba = cache.Resolve([Tag("b", "2"), Tag("a", "1")]);

        Assert.Equal(ab.Key, ba.Key);
    }

    [Fact]
    public void Different_values_names_or_counts_are_different_series()
    {
        var cache = new LabelSetCache([]);
        var keys = new[]
        {
            cache.Resolve([Tag("status", 200)]).Key,
            cache.Resolve([Tag("status", 500)]).Key,
            cache.Resolve([Tag("code", 200)]).Key,
            cache.Resolve([Tag("status", 200), Tag("method", "GET")]).Key,
            cache.Resolve([Tag("status", null)]).Key,
            cache.Resolve([]).Key,
        };

        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void Instrument_tags_are_part_of_every_label_set()
    {
        var cache = new LabelSetCache([Tag("service", "orders")]);

        var labels = cache.Resolve([Tag("status", "ok")]);

        Assert.Equal([new("service", "orders"), new("status", "ok")], labels.Labels);
    }

    [Fact]
    public void Past_its_capacity_it_still_answers_correctly()
    {
        var cache = new LabelSetCache([], capacity: 2);
        var resolved = Enumerable.Range(0, 10).Select(i => cache.Resolve([Tag("n", i)])).ToList();
        var again = Enumerable.Range(0, 10).Select(i => cache.Resolve([Tag("n", i)])).ToList();

        Assert.Equal(resolved.Select(l => l.Key), again.Select(l => l.Key));
        Assert.Equal(10, resolved.Select(l => l.Key).Distinct().Count());
    }
}
