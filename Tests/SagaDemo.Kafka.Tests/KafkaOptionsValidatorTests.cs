using Confluent.Kafka;
using SagaDemo.Kafka.Configuration;

namespace SagaDemo.Kafka.Tests;

public sealed class KafkaOptionsValidatorTests
{
    static IReadOnlyList<string> Failures(KafkaOptions options) =>
        new KafkaOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Theory]
    [InlineData("SaslSsl", SecurityProtocol.SaslSsl)]
    [InlineData("SASL_SSL", SecurityProtocol.SaslSsl)] // Kafka's spelling, as the Helm chart passes it
    [InlineData("sasl_plaintext", SecurityProtocol.SaslPlaintext)]
    [InlineData("PLAINTEXT", SecurityProtocol.Plaintext)]
    [InlineData("SSL", SecurityProtocol.Ssl)]
    public void Both_spellings_of_the_security_protocol_reach_the_client_config(string configured, SecurityProtocol expected)
    {
        var options = new KafkaOptions { SecurityProtocol = configured, SaslMechanism = "SCRAM-SHA-512", SaslUsername = "u", SaslPassword = "p" };
        Assert.Empty(Failures(options));
        Assert.Equal(expected, KafkaClientConfigs.Consumer(options, "127.0.0.1:9092", "g").SecurityProtocol);
    }

    [Theory]
    [InlineData("SASL_TLS")]
    [InlineData("1")]
    [InlineData("")]
    public void An_unknown_security_protocol_is_refused(string configured) =>
        Assert.Contains(Failures(new KafkaOptions { SecurityProtocol = configured }), f => f.StartsWith("Kafka:SecurityProtocol", StringComparison.Ordinal));

    [Theory]
    [InlineData(KafkaOptions.DefaultMaxRecordBytes, 4 * 1024 * 1024, 8 * 1024)]
    [InlineData(10 * 1024 * 1024, 20 * 1024 * 1024, 20 * 1024)] // a record always fits in one fetch and the queue
    public void Consumer_memory_is_bounded_in_bytes(int maxRecordBytes, int fetchMaxBytes, int queuedKbytes)
    {
        var options = new KafkaOptions { MaxRecordBytes = maxRecordBytes };
        Assert.Empty(Failures(options));
        var config = KafkaClientConfigs.Consumer(options, "127.0.0.1:9092", "g");
        Assert.Equal(fetchMaxBytes, config.FetchMaxBytes);
        Assert.Equal(queuedKbytes, config.QueuedMaxMessagesKbytes);
    }

    [Fact]
    public void An_endpoint_byte_budget_below_one_record_is_refused() =>
        Assert.Contains(Failures(new KafkaOptions { Endpoints = { ["g"] = new KafkaEndpointOptions { MaxInFlightBytes = 1000 } } }),
            f => f.StartsWith("Kafka:Endpoints:g:MaxInFlightBytes", StringComparison.Ordinal));

    [Fact]
    public void Sasl_in_kafkas_spelling_still_requires_mechanism_and_credentials() =>
        Assert.Contains(Failures(new KafkaOptions { SecurityProtocol = "SASL_SSL" }), f => f.StartsWith("Kafka:SaslMechanism", StringComparison.Ordinal));

    [Fact]
    public void A_negative_trim_interval_or_kept_record_count_is_refused_and_zero_is_accepted()
    {
        var failures = Failures(new KafkaOptions { EmbeddedLogTrim = { Interval = TimeSpan.FromSeconds(-1), KeepRecords = -1 } });
        Assert.Contains(failures, f => f.StartsWith("Kafka:EmbeddedLogTrim:Interval", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Kafka:EmbeddedLogTrim:KeepRecords", StringComparison.Ordinal));
        Assert.DoesNotContain(Failures(new KafkaOptions { EmbeddedLogTrim = { Interval = TimeSpan.Zero, KeepRecords = 0 } }),
            f => f.StartsWith("Kafka:EmbeddedLogTrim", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1023, false)]
    [InlineData(1024, true)]
    [InlineData(KafkaOptions.DefaultMaxRecordBytes, true)]
    [InlineData(50 * 1024 * 1024, true)]
    [InlineData(50 * 1024 * 1024 + 1, false)]
    public void MaxRecordBytes_stays_within_what_a_consumer_can_fetch(int bytes, bool valid) =>
        Assert.Equal(valid, !Failures(new KafkaOptions { MaxRecordBytes = bytes }).Any(f => f.StartsWith("Kafka:MaxRecordBytes", StringComparison.Ordinal)));
}

public sealed class GroupProtocolOptionTests
{
    [Theory]
    [InlineData("classic", true)]
    [InlineData("consumer", true)]
    [InlineData("Consumer", true)]
    [InlineData("cooperative", false)]
    [InlineData("", false)]
    public void Only_the_classic_and_the_consumer_group_protocol_are_accepted(string configured, bool valid) =>
        Assert.Equal(valid, new KafkaOptionsValidator().Validate(null, new KafkaOptions { GroupProtocol = configured }).Succeeded);

    [Fact]
    public void The_consumer_protocol_leaves_session_heartbeat_and_assignor_to_the_broker()
    {
        var config = KafkaClientConfigs.Consumer(new KafkaOptions { GroupProtocol = "consumer" }, "127.0.0.1:9092", "g");

        Assert.Equal(GroupProtocol.Consumer, config.GroupProtocol);
        Assert.Null(config.SessionTimeoutMs);
        Assert.Null(config.HeartbeatIntervalMs);
        Assert.Null(config.PartitionAssignmentStrategy);
        // librdkafka itself accepts the whole configuration (it refuses those three settings with this protocol).
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();
    }

    [Fact]
    public void The_classic_protocol_keeps_eager_range_assignment_and_the_configured_session_timeout()
    {
        var config = KafkaClientConfigs.Consumer(new KafkaOptions { SessionTimeout = TimeSpan.FromSeconds(7) }, "127.0.0.1:9092", "g");

        Assert.Null(config.GroupProtocol);
        Assert.Equal(PartitionAssignmentStrategy.Range, config.PartitionAssignmentStrategy);
        Assert.Equal(7000, config.SessionTimeoutMs);
    }
}
