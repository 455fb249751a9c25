using System.Diagnostics.Metrics;

namespace SagaDemo.Telemetry.Tests.Exporter;

public sealed class InstrumentKindTests
{
    [Fact]
    public void Counter_is_exported_cumulatively_with_total_suffix_and_labels_from_tags()
    {
        using var m = new PrivateMeter();
        var counter = m.Meter.CreateCounter<long>("orders.placed", "{order}", "Orders placed.");
        counter.Add(2, new KeyValuePair<string, object?>("region", "eu"));
        counter.Add(3, new KeyValuePair<string, object?>("region", "eu"));
        counter.Add(1, new KeyValuePair<string, object?>("region", "us"));

        var text = m.Scrape();

        Assert.Equal(
            "# HELP orders_placed_total Orders placed.\n" +
            "# TYPE orders_placed_total counter\n" +
            "orders_placed_total{region=\"eu\"} 5\n" +
            "orders_placed_total{region=\"us\"} 1\n", text);
    }

    [Fact]
    public void UpDownCounter_is_a_gauge_that_goes_down()
    {
        using var m = new PrivateMeter();
        var active = m.Meter.CreateUpDownCounter<int>("sessions.active");
        active.Add(5);
        active.Add(-2);

        var text = m.Scrape();

        Assert.Contains("# TYPE sessions_active gauge\n", text);
        Assert.Contains("# HELP sessions_active sessions.active\n", text); // no description: the instrument name
        Assert.Equal(["sessions_active 3"], m.Samples());
    }

    [Fact]
    public void Gauge_keeps_the_last_value_per_label_set()
    {
        using var m = new PrivateMeter();
        var gauge = m.Meter.CreateGauge<double>("queue.depth");
        gauge.Record(7, new KeyValuePair<string, object?>("queue", "a"));
        gauge.Record(4, new KeyValuePair<string, object?>("queue", "a"));
        gauge.Record(1.5, new KeyValuePair<string, object?>("queue", "b"));

        Assert.Equal(["queue_depth{queue=\"a\"} 4", "queue_depth{queue=\"b\"} 1.5"], m.Samples());
    }

    [Fact]
    public void Observable_gauge_reports_only_what_the_callback_reports_now()
    {
        using var m = new PrivateMeter();
        var states = new Dictionary<string, int> { ["Pending"] = 2, ["Done"] = 5 };
        m.Meter.CreateObservableGauge("saga.instances",
            () => states.Select(s => new Measurement<int>(s.Value, new KeyValuePair<string, object?>("state", s.Key))).ToList());

        Assert.Equal(["saga_instances{state=\"Done\"} 5", "saga_instances{state=\"Pending\"} 2"], m.Samples());

        states.Remove("Pending");
        states["Done"] = 6;
        Assert.Equal(["saga_instances{state=\"Done\"} 6"], m.Samples());
    }

    [Fact]
    public void Observable_counter_reports_the_callbacks_running_total_not_a_sum_of_scrapes()
    {
        using var m = new PrivateMeter();
        long total = 10;
        m.Meter.CreateObservableCounter("bytes.sent", () => total, "By");

        Assert.Equal(["bytes_sent_bytes_total 10"], m.Samples());
        total = 25;
        Assert.Equal(["bytes_sent_bytes_total 25"], m.Samples());
    }

    [Fact]
    public void Observable_up_down_counter_is_a_gauge()
    {
        using var m = new PrivateMeter();
        m.Meter.CreateObservableUpDownCounter("pool.threads", () => 4);

        Assert.Contains("# TYPE pool_threads gauge\n", m.Scrape());
        Assert.Equal(["pool_threads 4"], m.Samples());
    }

    [Fact]
    public void Instruments_of_other_meters_are_ignored()
    {
        using var m = new PrivateMeter();
        using var other = new Meter("SagaDemo.Test.Other." + Guid.NewGuid().ToString("N"));
        other.CreateCounter<int>("not.mine").Add(1);
        m.Meter.CreateCounter<int>("mine").Add(1);

        Assert.Equal(["mine_total 1"], m.Samples());
    }

    [Fact]
    public void Instruments_without_measurements_are_not_exported()
    {
        using var m = new PrivateMeter();
        m.Meter.CreateCounter<int>("never.used");

        Assert.Equal("", m.Scrape());
    }
}
