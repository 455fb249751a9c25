using SagaDemo.Kafka.Configuration;
using SagaDemo.KafkaBench;

// SagaDemo.KafkaBench [records] [recordBytes] [partitions] [--json]: record size and partitions should match the saga's
// records (value + headers) and topics, so the ceiling is measured on the same layout.
var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var records = numbers.Length > 0 && int.TryParse(numbers[0], out var n) ? n : 100_000;
var recordBytes = numbers.Length > 1 && int.TryParse(numbers[1], out var b) ? b : 200;
var partitions = numbers.Length > 2 && int.TryParse(numbers[2], out var p) && p > 0 ? p : KafkaOptions.EmbeddedPartitions;
var result = MockClusterBenchmark.Run(records, recordBytes, partitions);
Console.WriteLine(args.Contains("--json") ? result.ToJson() : result.ToString());
