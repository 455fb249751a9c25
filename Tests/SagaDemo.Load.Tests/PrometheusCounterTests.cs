using SagaDemo.Load.Measurement;

namespace SagaDemo.Load.Tests;

public sealed class PrometheusCounterTests
{
    const string Exposition = """
        # HELP sagademo_kafka_records_produced_total Records produced.
        # TYPE sagademo_kafka_records_produced_total counter
        sagademo_kafka_records_produced_total{topic="user-create"} 120
        sagademo_kafka_records_produced_total{topic="order",note="a } in a label"} 3.5e2 1700000000000
        sagademo_kafka_records_produced_total_created{topic="user-create"} 1.7e9
        sagademo_kafka_records_produced_totalx 999
        other_total 5
        """;

    [Fact]
    public void Sums_every_label_set_of_the_counter_and_nothing_else() =>
        Assert.Equal(470, PrometheusCounter.Sum(Exposition, "sagademo_kafka_records_produced_total"));

    [Fact]
    public void Unlabelled_samples_count_too() => Assert.Equal(5, PrometheusCounter.Sum(Exposition, "other_total"));

    [Fact]
    public void An_absent_counter_is_null_not_zero() => Assert.Null(PrometheusCounter.Sum(Exposition, "missing_total"));
}
