using System.Diagnostics;
using SagaDemo.Kafka.Embedded;

namespace SagaDemo.Kafka.Tests;

public sealed class MockKafkaClusterTests
{
    [Fact]
    public void Kcat_sees_every_broker_and_a_created_topic()
    {
        using var cluster = new MockKafkaCluster(brokerCount: 3);
        cluster.CreateTopic("kcat-visible", partitions: 6, replicationFactor: 3);

        var metadata = Kcat.Run($"-b {cluster.BootstrapServers} -L -t kcat-visible", TimeSpan.FromSeconds(20));

        Assert.Equal(3, cluster.BootstrapServers.Split(',').Length);
        Assert.Contains("3 brokers:", metadata);
        Assert.Contains("topic \"kcat-visible\" with 6 partitions", metadata);
    }

    [Fact]
    public void Broker_can_be_taken_down_and_brought_back()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("down-up", 1);
        cluster.SetBrokerDown(1);
        var whileDown = Kcat.TryRun($"-b {cluster.BootstrapServers} -L -m 2", TimeSpan.FromSeconds(20));
        cluster.SetBrokerUp(1);
        var afterUp = Kcat.Run($"-b {cluster.BootstrapServers} -L -t down-up", TimeSpan.FromSeconds(20));

        Assert.False(whileDown.ExitCode == 0 && whileDown.Output.Contains("topic \"down-up\""), whileDown.Output);
        Assert.Contains("topic \"down-up\" with 1 partitions", afterUp);
    }
}

static class Kcat
{
    public static string Run(string arguments, TimeSpan timeout, string? input = null)
    {
        var (code, output) = TryRun(arguments, timeout, input);
        Assert.True(code == 0, $"kcat {arguments} exited {code}: {output}");
        return output;
    }

    public static (int ExitCode, string Output) TryRun(string arguments, TimeSpan timeout, string? input = null)
    {
        var start = new ProcessStartInfo("kcat", arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null,
        };
        SagaDemo.Testing.Processes.InheritedDescriptors.MarkCloseOnExec();
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out: " + stdout.Result + stderr.Result);
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

public sealed class MockClusterRetentionTests
{
    [Fact]
    public void The_mock_deletes_the_oldest_records_of_a_partition_past_its_fixed_retention()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("retention", 1);
        var value = new byte[1000];
        using (var producer = new Confluent.Kafka.ProducerBuilder<Confluent.Kafka.Null, byte[]>(new Confluent.Kafka.ProducerConfig
               {
                   BootstrapServers = cluster.BootstrapServers, LingerMs = 5,
               }).Build())
        {
            // 8 MB into one partition: more than the 5 MB the mock keeps.
            for (var i = 0; i < 8_000; i++)
                producer.Produce("retention", new Confluent.Kafka.Message<Confluent.Kafka.Null, byte[]> { Value = value });
            producer.Flush(TimeSpan.FromSeconds(30));
        }
        using var consumer = new Confluent.Kafka.ConsumerBuilder<Confluent.Kafka.Ignore, Confluent.Kafka.Ignore>(
            new Confluent.Kafka.ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "retention" }).Build();
        var marks = consumer.QueryWatermarkOffsets(new Confluent.Kafka.TopicPartition("retention", 0), TimeSpan.FromSeconds(10));

        Assert.Equal(8_000, marks.High.Value);
        Assert.True(marks.Low.Value > 0, "nothing was deleted");
        Assert.True((marks.High.Value - marks.Low.Value) * value.Length <= MockKafkaCluster.RetainedBytesPerPartition);
    }
}
