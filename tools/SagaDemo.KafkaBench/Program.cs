using SagaDemo.Kafka.Configuration;
using SagaDemo.KafkaBench;

// SagaDemo.KafkaBench [records] [recordBytes] [partitions] [--repeat N] [--warmup-records M] [--json]: record size and
// partitions should match the saga's records (value + headers) and topics, so the ceiling is measured on the same
// layout. With --repeat the figure is the median of N runs after a warm-up run of M records (default 20,000).
var numbers = new List<string>();
int? repeat = null;
var warmupRecords = 20_000;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--repeat" && i + 1 < args.Length && int.TryParse(args[++i], out var r) && r > 0)
        repeat = r;
    else if (args[i] == "--warmup-records" && i + 1 < args.Length && int.TryParse(args[++i], out var w) && w > 0)
        warmupRecords = w;
    else if (!args[i].StartsWith("--", StringComparison.Ordinal))
        numbers.Add(args[i]);
}
var records = numbers.Count > 0 && int.TryParse(numbers[0], out var n) ? n : 100_000;
var recordBytes = numbers.Count > 1 && int.TryParse(numbers[1], out var b) ? b : 200;
var partitions = numbers.Count > 2 && int.TryParse(numbers[2], out var p) && p > 0 ? p : KafkaOptions.EmbeddedPartitions;
var json = args.Contains("--json");
if (repeat is { } repeats)
{
    var series = RepeatedBenchmark.Run(repeats, warmupRecords, records, recordBytes, partitions);
    Console.WriteLine(json ? series.ToJson() : series.ToString());
}
else
{
    var result = MockClusterBenchmark.Run(records, recordBytes, partitions);
    Console.WriteLine(json ? result.ToJson() : result.ToString());
}
